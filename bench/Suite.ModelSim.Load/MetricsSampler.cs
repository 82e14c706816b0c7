namespace Suite.ModelSim.Load;

/// <summary>Mean and largest value of one gauge over a window's scrapes.</summary>
internal sealed record GaugeSummary(double Mean, double Max)
{
    public static GaugeSummary Of(IReadOnlyCollection<double> samples) =>
        samples.Count == 0 ? new GaugeSummary(0, 0) : new GaugeSummary(Math.Round(samples.Average(), 4), samples.Max());
}

/// <summary>The engine gauges over a window: how full the KV cache and the batch were, and how long the queue.</summary>
internal sealed record EngineLoadSummary(int Scrapes, int FailedScrapes, GaugeSummary KvCacheUsage, GaugeSummary Running, GaugeSummary Waiting);

/// <summary>Scrapes <c>/metrics</c> on a fixed period while a window is open.</summary>
internal sealed class MetricsSampler : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<VllmGauges> _samples = [];
    private readonly Task _sampling;
    private int _failed;

    private MetricsSampler(HttpClient http, Uri metrics, TimeSpan period)
    {
        _http = http;
        _sampling = SampleAsync(metrics, period, _stop.Token);
    }

    public static MetricsSampler Start(HttpClient http, Uri metrics, TimeSpan period) => new(http, metrics, period);

    public async Task<EngineLoadSummary> StopAsync()
    {
        await _stop.CancelAsync();
        await _sampling;
        return new EngineLoadSummary(
            _samples.Count + _failed,
            _failed,
            GaugeSummary.Of([.. _samples.Select(s => s.KvCacheUsage)]),
            GaugeSummary.Of([.. _samples.Select(s => s.Running)]),
            GaugeSummary.Of([.. _samples.Select(s => s.Waiting)]));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _sampling;
        _stop.Dispose();
    }

    private async Task SampleAsync(Uri metrics, TimeSpan period, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(period);
        try
        {
            do
            {
                if (await VllmGauges.ScrapeAsync(_http, metrics, stop) is { } gauges)
                {
                    _samples.Add(gauges);
                }
                else
                {
                    _failed++;
                }
            }
            while (await timer.WaitForNextTickAsync(stop));
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The window closed.
        }
    }
}
