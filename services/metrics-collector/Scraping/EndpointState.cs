using Suite.Contracts.Pools;

namespace Suite.MetricsCollector.Scraping;

/// <summary>
/// What the collector knows about one endpoint between rounds. The scrape task writes, the round reads; the
/// sample is an immutable record behind one reference, and <see cref="TryBeginScrape"/> keeps a slow endpoint
/// to one scrape at a time.
/// </summary>
internal sealed class EndpointState(string address, Uri metricsUri)
{
    private volatile EndpointSample _sample = EndpointSample.NeverScraped;
    private int _scraping;

    public string Address { get; } = address;

    public Uri MetricsUri { get; } = metricsUri;

    public EndpointSample Sample => _sample;

    /// <summary>The last failure's text, so a repeated failure is logged once, not every round.</summary>
    public string? LastError { get; set; }

    public bool TryBeginScrape() => Interlocked.CompareExchange(ref _scraping, 1, 0) == 0;

    public void EndScrape() => Volatile.Write(ref _scraping, 0);

    public void Succeeded(ScrapedMetrics scraped, DateTimeOffset at)
    {
        _sample = new EndpointSample(
            new EndpointMetrics(
                (int)Math.Round(scraped.Waiting),
                (int)Math.Round(scraped.Running),
                scraped.KvCacheUsage,
                scraped.RunningAdapters,
                scraped.WaitingAdapters,
                scraped.MaxLora,
                at)
            {
                BlockSize = scraped.BlockSize,
                BlockCount = scraped.BlockCount,
            },
            scraped.ModelName);
        LastError = null;
    }

    /// <summary>Keeps the last good figures, with their time, but marks them stale: never silently kept as fresh.</summary>
    public void Failed()
    {
        var current = _sample;
        if (!current.Metrics.Stale)
        {
            _sample = current with { Metrics = current.Metrics with { Stale = true } };
        }
    }
}

/// <summary>An endpoint's latest figures and the model its server reports.</summary>
internal sealed record EndpointSample(EndpointMetrics Metrics, string? BaseModel)
{
    public static EndpointSample NeverScraped { get; } = new(EndpointMetrics.Empty with { Stale = true }, null);
}
