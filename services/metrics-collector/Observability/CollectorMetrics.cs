using System.Diagnostics.Metrics;
using Suite.MetricsCollector.Scraping;

namespace Suite.MetricsCollector.Observability;

/// <summary>The collector's own instruments (meter <c>Suite.MetricsCollector</c>).</summary>
internal sealed class CollectorMetrics
{
    public const string MeterName = "Suite.MetricsCollector";

    private readonly Counter<long> _scrapes;
    private readonly Histogram<double> _scrapeDuration;
    private readonly Histogram<double> _roundDuration;
    private readonly Counter<long> _published;
    private readonly Counter<long> _publishFailures;

    public CollectorMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _scrapes = meter.CreateCounter<long>(
            "collector.scrapes", "{scrape}", "Scrapes of model-server /metrics pages, by result (ok or the failure reason).");
        _scrapeDuration = meter.CreateHistogram<double>(
            "collector.scrape.duration", "s", "Time to fetch and parse one /metrics page.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1] });
        _roundDuration = meter.CreateHistogram<double>(
            "collector.round.duration", "s", "Time from the start of a scrape round to its snapshots being published.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1] });
        _published = meter.CreateCounter<long>("collector.snapshots.published", "{snapshot}", "Pool snapshots published on the pod-state topic.");
        _publishFailures = meter.CreateCounter<long>(
            "collector.publish.failures", "{failure}", "Failed writes of pool snapshots, by target (bus or state store).");
    }

    public void Scraped(ScrapeFailure? failure, double seconds)
    {
        _scrapes.Add(1, new KeyValuePair<string, object?>("result", failure is { } reason ? ReasonLabel(reason) : "ok"));
        _scrapeDuration.Record(seconds);
    }

    public void RoundCompleted(double seconds) => _roundDuration.Record(seconds);

    public void Published() => _published.Add(1);

    public void PublishFailed(string target) => _publishFailures.Add(1, new KeyValuePair<string, object?>("target", target));

    private static string ReasonLabel(ScrapeFailure reason) => reason switch
    {
        ScrapeFailure.Timeout => "timeout",
        ScrapeFailure.Connection => "connection",
        ScrapeFailure.HttpStatus => "http_status",
        ScrapeFailure.TooLarge => "too_large",
        _ => "malformed",
    };
}
