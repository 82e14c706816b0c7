using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Suite.Queue.Overload.Observation;

/// <summary>
/// The picker's admission counters and the queue's decision counters and wait times, read in process from the
/// services' own meters (<c>Suite.Picker</c>, <c>Suite.Queue</c>). Each service host has its own meter factory, so a
/// meter's scope tells which picker a count came from.
/// </summary>
internal sealed class ServiceMeters : IDisposable
{
    private static readonly HashSet<string> Counted = new(StringComparer.Ordinal)
    {
        "picker.admission.decisions", "picker.admission.fallbacks", "picker.requests", "queue.decisions",
    };

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<(string Service, string Instrument, string Label), long> _counts = new();
    private readonly ConcurrentQueue<(long Timestamp, double Seconds)> _queueWaits = new();

    /// <param name="services">Each service's <see cref="IMeterFactory"/> (the scope of its meters) and its name.</param>
    public ServiceMeters(IReadOnlyDictionary<object, string> services)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Scope is { } scope && services.TryGetValue(scope, out var service)
                && (Counted.Contains(instrument.Name) || instrument.Name == "queue.wait.duration"))
            {
                listener.EnableMeasurementEvents(instrument, service);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, state) =>
            _counts.AddOrUpdate(((string)state!, instrument.Name, Label(tags)), value, (_, total) => total + value));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, state) =>
        {
            if (instrument.Name == "queue.wait.duration")
            {
                _queueWaits.Enqueue((Stopwatch.GetTimestamp(), value));
            }
        });
        _listener.Start();
    }

    /// <summary>Every count so far, keyed "service instrument label".</summary>
    public Dictionary<string, long> Counts() =>
        _counts.ToDictionary(pair => $"{pair.Key.Service} {pair.Key.Instrument} {pair.Key.Label}", pair => pair.Value, StringComparer.Ordinal);

    /// <summary>The queue's recorded waits of admitted requests (seconds) between two timestamps.</summary>
    public double[] QueueWaits(long from, long to) =>
        [.. _queueWaits.Where(wait => wait.Timestamp >= from && wait.Timestamp <= to).Select(wait => wait.Seconds)];

    public void Dispose() => _listener.Dispose();

    private static string Label(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var parts = new List<string>(2);
        foreach (var tag in tags)
        {
            if (tag.Key is "outcome" or "reason" or "status")
            {
                parts.Add($"{tag.Key}={tag.Value}");
            }
        }

        return string.Join(',', parts);
    }
}
