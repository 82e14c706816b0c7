using Microsoft.AspNetCore.Http;

namespace Suite.Kubernetes.Tests.Fakes;

/// <summary>One request to the fake API server, held open until the test answers, streams, ends or aborts it.</summary>
internal sealed class FakeApiRequest
{
    private readonly HttpContext _context;
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _streaming;

    public FakeApiRequest(HttpContext context)
    {
        _context = context;
        Path = context.Request.Path.Value ?? string.Empty;
        Query = context.Request.QueryString.Value ?? string.Empty;
        var watch = context.Request.Query["watch"].ToString();
        IsWatch = watch is "true" or "1";
        context.RequestAborted.Register(() => _done.TrySetResult());
    }

    public string Path { get; }

    /// <summary>The raw query string, with its leading <c>?</c>.</summary>
    public string Query { get; }

    public bool IsWatch { get; }

    /// <summary>Completes when the test finished the response or the client went away.</summary>
    public Task Done => _done.Task;

    public async Task RespondAsync(int statusCode, string json)
    {
        _context.Response.StatusCode = statusCode;
        _context.Response.ContentType = "application/json";
        await _context.Response.WriteAsync(json);
        _done.TrySetResult();
    }

    /// <summary>Writes one line of a chunked 200 watch response and flushes it.</summary>
    public async Task SendAsync(string line)
    {
        if (!_streaming)
        {
            _streaming = true;
            _context.Response.StatusCode = StatusCodes.Status200OK;
            _context.Response.ContentType = "application/json";
        }

        await _context.Response.WriteAsync(line + "\n");
        await _context.Response.Body.FlushAsync();
    }

    /// <summary>Ends the response normally (the end of a chunked stream, or an empty 200).</summary>
    public void End() => _done.TrySetResult();

    /// <summary>Drops the connection mid-response.</summary>
    public void Abort()
    {
        _context.Abort();
        _done.TrySetResult();
    }

    public override string ToString() => (IsWatch ? "watch " : "list ") + Path + Query;
}
