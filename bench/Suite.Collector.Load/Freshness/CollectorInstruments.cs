using System.Diagnostics;
using System.Diagnostics.Metrics;
using Suite.Collector.Load.Reporting;

namespace Suite.Collector.Load.Freshness;

/// <summary>What the in-process collector's own meter recorded while the samples were taken.</summary>
internal sealed record CollectorActivity(
    double Seconds,
    double RoundsPerSecond,
    double ScrapesPerSecond,
    long FailedScrapes,
    double SnapshotsPerSecond,
    Distribution? ScrapeMs,
    Distribution? RoundMs);

/// <summary>
/// Listens to the collector's meter (<c>Suite.MetricsCollector</c>) in process: every scrape's and every round's
/// duration, scrapes by result and snapshots published, so the freshness figures come with the rounds that made them.
/// </summary>
internal sealed class CollectorInstruments : IDisposable
{
    private const string MeterName = "Suite.MetricsCollector";

    private readonly MeterListener _listener = new();
    private readonly Lock _gate = new();
    private readonly List<double> _scrapeMs = [];
    private readonly List<double> _roundMs = [];
    private long _scrapes;
    private long _failed;
    private long _published;
    private long _started;
    private volatile bool _recording;

    public CollectorInstruments()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>(OnDuration);
        _listener.SetMeasurementEventCallback<long>(OnCount);
        _listener.Start();
    }

    public void StartRecording()
    {
        lock (_gate)
        {
            _scrapeMs.Clear();
            _roundMs.Clear();
            _scrapes = _failed = _published = 0;
            _started = Stopwatch.GetTimestamp();
            _recording = true;
        }
    }

    public CollectorActivity StopRecording()
    {
        lock (_gate)
        {
            _recording = false;
            var seconds = Stopwatch.GetElapsedTime(_started).TotalSeconds;
            return new CollectorActivity(
                Math.Round(seconds, 2),
                Math.Round(_roundMs.Count / seconds, 2),
                Math.Round(_scrapes / seconds, 1),
                _failed,
                Math.Round(_published / seconds, 2),
                Distribution.Of(_scrapeMs),
                Distribution.Of(_roundMs));
        }
    }

    public void Dispose() => _listener.Dispose();

    private void OnDuration(Instrument instrument, double seconds, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        if (!_recording)
        {
            return;
        }

        lock (_gate)
        {
            switch (instrument.Name)
            {
                case "collector.scrape.duration":
                    _scrapeMs.Add(seconds * 1000);
                    break;
                case "collector.round.duration":
                    _roundMs.Add(seconds * 1000);
                    break;
            }
        }
    }

    private void OnCount(Instrument instrument, long count, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        if (!_recording)
        {
            return;
        }

        lock (_gate)
        {
            switch (instrument.Name)
            {
                case "collector.scrapes":
                    _scrapes += count;
                    foreach (var tag in tags)
                    {
                        if (tag is { Key: "result", Value: string result } && result != "ok")
                        {
                            _failed += count;
                        }
                    }

                    break;
                case "collector.snapshots.published":
                    _published += count;
                    break;
            }
        }
    }
}
