using System.Text;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Suite.LocalGateway.Tests.Infrastructure;

/// <summary>A stand-in model server on a real listener: records what reached it and answers with a streamed body.</summary>
internal sealed class RecordingUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RecordingUpstream(WebApplication app, int port)
    {
        _app = app;
        Endpoint = $"127.0.0.1:{port}";
    }

    /// <summary><c>ip:port</c>, as a picker names it.</summary>
    public string Endpoint { get; }

    public Channel<ReceivedRequest> Received { get; } = Channel.CreateUnbounded<ReceivedRequest>();

    /// <summary>The response body, sent as these separately flushed chunks.</summary>
    public string[] Chunks { get; set; } = ["data: {\"n\":1}\n\n", "data: {\"n\":2}\n\n", "data: [DONE]\n\n"];

    /// <summary>When set, the rest of the body waits for it after the first chunk has been flushed.</summary>
    public TaskCompletionSource? HoldAfterFirstChunk { get; set; }

    public static async Task<RecordingUpstream> StartAsync()
    {
        var port = FreePorts.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenLocalhost(port));
        var app = builder.Build();
        var upstream = new RecordingUpstream(app, port);
        app.Run(upstream.AnswerAsync);
        await app.StartAsync();
        return upstream;
    }

    public async Task<ReceivedRequest> NextAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await Received.Reader.ReadAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task AnswerAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        var headers = context.Request.Headers.ToDictionary(header => header.Key.ToLowerInvariant(), header => header.Value.ToString(), StringComparer.Ordinal);
        Received.Writer.TryWrite(new ReceivedRequest(context.Request.Method, context.Request.Path + context.Request.QueryString, headers, Encoding.UTF8.GetString(body.ToArray())));

        context.Response.ContentType = "text/event-stream";
        context.Response.Headers["x-inference-pod"] = "upstream-" + Endpoint;
        for (var i = 0; i < Chunks.Length; i++)
        {
            await context.Response.WriteAsync(Chunks[i]);
            await context.Response.Body.FlushAsync();
            if (i == 0 && HoldAfterFirstChunk is { } hold)
            {
                await hold.Task;
            }
        }
    }
}

internal sealed record ReceivedRequest(string Method, string PathAndQuery, Dictionary<string, string> Headers, string Body);
