using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;

namespace Suite.Collector.Load.Cost;

/// <summary>Requests finished since the traffic started, and failures by kind.</summary>
internal sealed record TrafficCounts(long Completed, long Failed, IReadOnlyDictionary<string, long> FailureKinds);

/// <summary>
/// Completions sent open loop at a fixed rate, round-robin over the fleet's instances, so their queues, batches,
/// KV use and counters move while the collector scrapes them. Non-streaming with <c>ignore_eos</c>: every request
/// holds its instance for a known number of engine steps and costs one response, keeping this program's own CPU low.
/// </summary>
internal sealed class CompletionTraffic : IAsyncDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) })
    {
        Timeout = TimeSpan.FromSeconds(30),
    };

    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<string, long> _failureKinds = new(StringComparer.Ordinal);
    private readonly IReadOnlyList<Uri> _instances;
    private readonly byte[] _body;
    private readonly double _rate;
    private readonly int _maxInFlight;
    private long _completed;
    private long _failed;
    private int _inFlight;
    private Task _pacing = Task.CompletedTask;

    private CompletionTraffic(IReadOnlyList<Uri> instances, string model, int maxTokens, double rate, int maxInFlight)
    {
        _instances = instances;
        _rate = rate;
        _maxInFlight = maxInFlight;
        _body = Encoding.UTF8.GetBytes(
            $$"""{"model":"{{model}}","prompt":"Summarise the state of the fleet in one line, then list every pod that is queueing.","max_tokens":{{maxTokens}},"ignore_eos":true}""");
    }

    public static CompletionTraffic Start(IReadOnlyList<Uri> instances, string model, int maxTokens, double rate, int maxInFlight)
    {
        var traffic = new CompletionTraffic(instances, model, maxTokens, rate, maxInFlight);
        traffic._pacing = Task.Run(() => traffic.PaceAsync(traffic._stopping.Token));
        return traffic;
    }

    public TrafficCounts Counts => new(Interlocked.Read(ref _completed), Interlocked.Read(ref _failed), new Dictionary<string, long>(_failureKinds));

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _pacing;

        // Requests already sent finish within a few engine steps; give them that long, not forever.
        var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 5;
        while (Volatile.Read(ref _inFlight) > 0 && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(20, CancellationToken.None);
        }

        _http.Dispose();
        _stopping.Dispose();
    }

    private async Task PaceAsync(CancellationToken stopping)
    {
        var started = Stopwatch.GetTimestamp();
        for (long i = 0; !stopping.IsCancellationRequested; i++)
        {
            // Request i is due at i / rate seconds whatever happened to earlier ones.
            var wait = TimeSpan.FromSeconds(i / _rate) - Stopwatch.GetElapsedTime(started);
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                try
                {
                    await Task.Delay(wait, stopping);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }

            if (Volatile.Read(ref _inFlight) >= _maxInFlight)
            {
                Fail("not sent: --max-in-flight reached");
                continue;
            }

            Interlocked.Increment(ref _inFlight);
            _ = SendAsync(_instances[(int)(i % _instances.Count)]);
        }
    }

    private async Task SendAsync(Uri instance)
    {
        try
        {
            using var content = new ByteArrayContent(_body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await _http.PostAsync(new Uri(instance, "/v1/completions"), content, CancellationToken.None);
            _ = await response.Content.ReadAsByteArrayAsync(CancellationToken.None);
            if (response.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref _completed);
            }
            else
            {
                Fail($"HTTP {(int)response.StatusCode}");
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            Fail(e.GetType().Name);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private void Fail(string kind)
    {
        Interlocked.Increment(ref _failed);
        _failureKinds.AddOrUpdate(kind, 1, (_, count) => count + 1);
    }
}
