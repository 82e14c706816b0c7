using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Hosting;

namespace Suite.Host.Dashboard;

/// <summary>The page, its JSON, and the same JSON pushed every second as server-sent events.</summary>
internal static class DashboardEndpoints
{
    public const string PagePath = "/dashboard";
    public const string StatePath = "/dashboard/state";
    public const string EventsPath = "/dashboard/events";

    private const string PageResource = "Suite.Host.Dashboard.dashboard.html";

    private static readonly TimeSpan PushInterval = TimeSpan.FromSeconds(1);

    /// <summary>The page (HTML with its script and styles inline), read once from the assembly.</summary>
    public static byte[] Page { get; } = ReadPage();

    public static Task WritePageAsync(HttpContext context)
    {
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.Body.WriteAsync(Page, context.RequestAborted).AsTask();
    }

    public static Task WriteStateAsync(HttpContext context, DashboardState state)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        return JsonSerializer.SerializeAsync(
            context.Response.Body, state.Snapshot(), DashboardJsonContext.Default.DashboardSnapshot, context.RequestAborted);
    }

    /// <summary>One <c>data:</c> line per second until the client leaves or the host stops (so shutdown does not wait on it).</summary>
    public static async Task StreamStateAsync(
        HttpContext context, DashboardState state, TimeProvider time, IHostApplicationLifetime lifetime)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-store";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        using var timer = new PeriodicTimer(PushInterval, time);
        try
        {
            do
            {
                await response.WriteAsync("data: ", stop.Token);
                await JsonSerializer.SerializeAsync(response.Body, state.Snapshot(), DashboardJsonContext.Default.DashboardSnapshot, stop.Token);
                await response.WriteAsync("\n\n", stop.Token);
                await response.Body.FlushAsync(stop.Token);
            }
            while (await timer.WaitForNextTickAsync(stop.Token));
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The client closed the page or the host is stopping: the stream just ends.
        }
    }

    private static byte[] ReadPage()
    {
        using var stream = typeof(DashboardEndpoints).Assembly.GetManifestResourceStream(PageResource)
            ?? throw new InvalidOperationException($"The dashboard page {PageResource} is not embedded in {typeof(DashboardEndpoints).Assembly.GetName().Name}.");
        using var bytes = new MemoryStream();
        stream.CopyTo(bytes);
        return bytes.ToArray();
    }
}
