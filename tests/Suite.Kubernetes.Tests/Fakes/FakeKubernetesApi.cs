using System.Collections.Concurrent;
using System.Net;
using System.Threading.Channels;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Suite.Kubernetes.Tests.Support;

namespace Suite.Kubernetes.Tests.Fakes;

/// <summary>
/// A loopback stand-in for the Kubernetes API server (Kestrel on 127.0.0.1, a free port). Every request is queued for
/// the test, which asserts its path and query and then answers it: a list response, an HTTP error, or a watch stream
/// of newline-delimited JSON events that it writes, ends or drops when it likes.
/// </summary>
internal sealed class FakeKubernetesApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Channel<FakeApiRequest> _pending = Channel.CreateUnbounded<FakeApiRequest>();
    private readonly ConcurrentQueue<FakeApiRequest> _all = new();

    private FakeKubernetesApi(WebApplication app)
    {
        _app = app;
        app.Run(async context =>
        {
            var request = new FakeApiRequest(context);
            _all.Enqueue(request);
            _pending.Writer.TryWrite(request);
            await request.Done;
        });
    }

    public string Host { get; private set; } = string.Empty;

    public static async Task<FakeKubernetesApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var api = new FakeKubernetesApi(builder.Build());
        await api._app.StartAsync();
        var addresses = api._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        api.Host = addresses.Addresses.Single();
        return api;
    }

    /// <summary>The real KubernetesClient, pointed at this server.</summary>
    public k8s.Kubernetes CreateClient() => new(new KubernetesClientConfiguration { Host = Host });

    public async Task<FakeApiRequest> NextListAsync()
    {
        var request = await NextAsync("a list request");
        Assert.False(request.IsWatch, $"Expected a list request, got {request}.");
        return request;
    }

    public async Task<FakeApiRequest> NextWatchAsync()
    {
        var request = await NextAsync("a watch request");
        Assert.True(request.IsWatch, $"Expected a watch request, got {request}.");
        return request;
    }

    /// <summary>Fails if a request arrives within <paramref name="grace"/>: for "not before the delay" checks.</summary>
    public async Task AssertNoRequestWithinAsync(TimeSpan grace)
    {
        using var timeout = new CancellationTokenSource(grace);
        try
        {
            var request = await _pending.Reader.ReadAsync(timeout.Token);
            Assert.Fail($"Expected no request yet, got {request}.");
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var request in _all)
        {
            request.End();
        }

        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task<FakeApiRequest> NextAsync(string what)
    {
        using var timeout = new CancellationTokenSource(Wait.Timeout);
        try
        {
            return await _pending.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new TimeoutException($"The fake API server got no {what} within {Wait.Timeout.TotalSeconds} s.");
        }
    }
}
