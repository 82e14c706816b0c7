using System.Diagnostics.Metrics;

namespace Suite.Host.Dashboard;

/// <summary>
/// Counts the queue's admission decisions as its own meter records them (<c>Suite.Queue</c>, counter
/// <c>queue.decisions</c> tagged <c>pool</c> and <c>outcome</c>; see services/queue/Observability/QueueMetrics.cs).
/// The meter lives in this process, so nothing is scraped. When the host names the queue's meter factory
/// (<see cref="QueueMeterScope"/>) only that queue is counted; otherwise every <c>Suite.Queue</c> meter in the process is.
/// </summary>
internal sealed class QueueDecisionListener : IDisposable
{
    private const string MeterName = "Suite.Queue";
    private const string InstrumentName = "queue.decisions";

    private readonly MeterListener _listener = new();

    public QueueDecisionListener(DashboardState state, QueueMeterScope? scope = null)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == MeterName && instrument.Name == InstrumentName
                && (scope is null || ReferenceEquals(instrument.Meter.Scope, scope.MeterFactory)))
            {
                listener.EnableMeasurementEvents(instrument, state);
            }
        };
        _listener.SetMeasurementEventCallback<long>(Measured);
    }

    public void Start() => _listener.Start();

    public void Dispose() => _listener.Dispose();

    private static void Measured(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        string? pool = null;
        string? outcome = null;
        foreach (var tag in tags)
        {
            if (tag.Key == "pool")
            {
                pool = tag.Value as string;
            }
            else if (tag.Key == "outcome")
            {
                outcome = tag.Value as string;
            }
        }

        if (pool is not null && outcome is not null)
        {
            ((DashboardState)state!).QueueDecided(pool, outcome, value);
        }
    }
}

/// <summary>The queue's <see cref="IMeterFactory"/>: register it in the dashboard's container to count that queue's meter only.</summary>
internal sealed record QueueMeterScope(IMeterFactory MeterFactory);
