using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;

namespace Suite.Host.Tests.Faults;

/// <summary>
/// Sustained load through the local gateway: closed-loop clients, each sending one chat completion after another
/// (every other one streamed) until stopped, each with its own timeout. Every request's end is recorded, so a test
/// can account for all of them.
/// </summary>
internal sealed class GatewayLoad : IAsyncDisposable
{
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    private readonly HttpClient _client;
    private readonly Func<int, string> _modelOf;
    private readonly ConcurrentQueue<LoadResult> _results = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Task[] _clients;
    private int _sent;

    /// <param name="modelOf">The model of the client's n-th request; chooses the pool.</param>
    private GatewayLoad(Uri gateway, int clients, Func<int, string> modelOf)
    {
        _client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients * 2 })
        {
            BaseAddress = gateway,
            Timeout = Timeout.InfiniteTimeSpan, // each request has its own deadline
        };
        _modelOf = modelOf;
        _clients = [.. Enumerable.Range(0, clients).Select(id => Task.Run(() => RunClientAsync(id)))];
    }

    public TimeSpan Elapsed => _clock.Elapsed;

    public int Sent => Volatile.Read(ref _sent);

    public static GatewayLoad Start(Uri gateway, int clients, Func<int, string> modelOf) => new(gateway, clients, modelOf);

    /// <summary>Results so far (requests still running are not in it).</summary>
    public IReadOnlyList<LoadResult> Results => [.. _results];

    /// <summary>Stops sending; waits for the requests in flight to end (each within its timeout) and returns every result.</summary>
    public async Task<IReadOnlyList<LoadResult>> StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_clients);
        return Results;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_clients);
        _client.Dispose();
        _stop.Dispose();
    }

    /// <summary>Waits until <paramref name="count"/> more requests have ended.</summary>
    public async Task WaitForResultsAsync(int count, TimeSpan timeout)
    {
        var target = _results.Count + count;
        var deadline = _clock.Elapsed + timeout;
        while (_results.Count < target)
        {
            Assert.True(_clock.Elapsed < deadline, $"only {_results.Count} of {target} requests ended within {timeout.TotalSeconds} s");
            await Task.Delay(20);
        }
    }

    private async Task RunClientAsync(int id)
    {
        for (var n = 0; !_stop.IsCancellationRequested; n++)
        {
            var model = _modelOf(n);
            var stream = (n + id) % 2 == 0;
            Interlocked.Increment(ref _sent);
            _results.Enqueue(await SendAsync(model, stream, $"client {id} request {n}"));
        }
    }

    private async Task<LoadResult> SendAsync(string model, bool stream, string prompt)
    {
        var started = _clock.Elapsed;
        using var timeout = new CancellationTokenSource(RequestTimeout);
        var status = 0;
        LoadResult Result(LoadOutcome outcome, string? detail = null) => new(model, stream, started, _clock.Elapsed, outcome, status, detail);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
            {
                Content = new StringContent(
                    $$"""{"model":"{{model}}","messages":[{"role":"user","content":"{{prompt}}"}],"max_tokens":6,"stream":{{(stream ? "true" : "false")}}}""",
                    Encoding.UTF8,
                    new MediaTypeHeaderValue("application/json")),
            };
            HttpResponseMessage response;
            try
            {
                response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            }
            catch (HttpRequestException e)
            {
                return Result(LoadOutcome.Unreachable, e.Message);
            }

            using (response)
            {
                status = (int)response.StatusCode;
                string body;
                try
                {
                    body = await response.Content.ReadAsStringAsync(timeout.Token);
                }
                catch (Exception e) when (e is HttpRequestException or IOException && !timeout.IsCancellationRequested)
                {
                    return Result(response.IsSuccessStatusCode ? LoadOutcome.Broken : LoadOutcome.ErrorStatus, e.Message);
                }

                if (!response.IsSuccessStatusCode)
                {
                    return Result(LoadOutcome.ErrorStatus, body);
                }

                var complete = stream ? body.Contains("data: [DONE]", StringComparison.Ordinal) : body.Contains("\"finish_reason\"", StringComparison.Ordinal);
                return Result(complete ? LoadOutcome.Served : LoadOutcome.Truncated, complete ? null : body);
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return Result(LoadOutcome.Hung);
        }
    }
}
