using System.Diagnostics.Metrics;
using Suite.Queue.Waiting;

namespace Suite.Queue.Observability;

/// <summary>The queue's decision counters and wait times (meter <c>Suite.Queue</c>; the depth gauges live with the pressure).</summary>
internal sealed class QueueMetrics
{
    public const string MeterName = "Suite.Queue";

    private readonly Counter<long> _decisions;
    private readonly Histogram<double> _waited;

    public QueueMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _decisions = meter.CreateCounter<long>(
            "queue.decisions", "{request}", "Admission decisions by pool and outcome (admitted, queue_full, shed, expired, withdrawn).");
        _waited = meter.CreateHistogram<double>(
            "queue.wait.duration", "s", "Time admitted requests waited in the queue (0 when admitted at once).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });
    }

    public void Decided(string pool, QueueOutcome outcome)
    {
        _decisions.Add(1, new KeyValuePair<string, object?>("pool", pool), new KeyValuePair<string, object?>("outcome", Label(outcome.Kind)));
        if (outcome.Kind == QueueOutcomeKind.Admitted)
        {
            _waited.Record(outcome.Waited.TotalSeconds, new KeyValuePair<string, object?>("pool", pool));
        }
    }

    private static string Label(QueueOutcomeKind kind) => kind switch
    {
        QueueOutcomeKind.Admitted => "admitted",
        QueueOutcomeKind.QueueFull => "queue_full",
        QueueOutcomeKind.Shed => "shed",
        QueueOutcomeKind.Expired => "expired",
        _ => "withdrawn",
    };
}
