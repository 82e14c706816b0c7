using Suite.Collector.Load.Reporting;

namespace Suite.Collector.Load.Freshness;

/// <summary>One queue change and when each stage saw it, in milliseconds after the engine queued the request.</summary>
/// <param name="DelayMs">Until the picker's pool store showed the pod with a waiting request: the freshness.</param>
/// <param name="ScrapedMs">Until the scrape that read the change completed (the endpoint's <c>MeasuredAt</c>).</param>
/// <param name="PublishedMs">Until that round published its snapshot (<c>TakenAt</c>).</param>
/// <param name="StampUncertaintyMs">How long the engine's submit call took: the change happened within it, before its stamp.</param>
internal sealed record FreshnessSample(int Pod, double DelayMs, double ScrapedMs, double PublishedMs, double StampUncertaintyMs);

internal sealed record FreshnessSettings(int Pods, int Samples, int WarmupSamples, double ScrapeIntervalMs, double MaxGapMs, int Port, int Seed, string Wait);

/// <summary>
/// What the interval and the measured rounds predict. A change waits for the next scrape of its pod to read the page
/// (half an interval on average), then for that scrape to end and for its round to publish: between the round's mean
/// length less a mean scrape (the page was read late in the round) and the whole round (read at its start).
/// </summary>
internal sealed record ExpectedDelay(double MeanLowMs, double MeanHighMs, double WorstMs, string Reasoning);

internal sealed record FreshnessResult(
    string Command,
    string StartedAt,
    FreshnessSettings Settings,
    Distribution? DelayMs,
    Distribution? ChangeToScrapedMs,
    Distribution? ScrapedToPublishedMs,
    Distribution? PublishedToSeenMs,
    Distribution? StampUncertaintyMs,
    ExpectedDelay? Expected,
    CollectorActivity Collector,
    int TimedOut,
    IReadOnlyList<FreshnessSample> Samples);
