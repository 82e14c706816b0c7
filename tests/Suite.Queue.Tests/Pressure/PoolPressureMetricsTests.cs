using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Suite.Queue.Pressure;

namespace Suite.Queue.Tests.Pressure;

public sealed class PoolPressureMetricsTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly FakePoolPressureSource _source = new();
    private readonly IMeterFactory _meterFactory;

    public PoolPressureMetricsTests()
    {
        _meterFactory = _services.GetRequiredService<IMeterFactory>();
        _ = new PoolPressureMetrics(_meterFactory, _source);
    }

    [Fact]
    public void Gauges_EveryPoolsDepthSaturationAndBreakdowns()
    {
        _source.Set("chat-pool", 1.25, ("llama", 0, 2), ("sql-lora", -1, 1), ("llama", 1, 1));
        _source.Set("batch-pool", 0.5);

        var (measurements, _) = Observe();

        Assert.Equal(
            [
                "pool.saturation 0.5 pool=batch-pool",
                "pool.saturation 1.25 pool=chat-pool",
                "queue.depth 0 pool=batch-pool",
                "queue.depth 4 pool=chat-pool",
                "queue.depth.by_band 1 pool=chat-pool band=-1",
                "queue.depth.by_band 1 pool=chat-pool band=1",
                "queue.depth.by_band 2 pool=chat-pool band=0",
                "queue.depth.by_model 1 pool=chat-pool model=sql-lora",
                "queue.depth.by_model 3 pool=chat-pool model=llama",
            ],
            measurements);
    }

    [Fact]
    public void Gauges_ReadWhenObserved_LatestFigures()
    {
        _source.Set("chat-pool", 1, ("llama", 0, 2));
        Observe();
        _source.Set("chat-pool", 0.75);

        var (measurements, _) = Observe();

        Assert.Equal(["pool.saturation 0.75 pool=chat-pool", "queue.depth 0 pool=chat-pool"], measurements);
    }

    [Fact]
    public void Instruments_OnTheQueueMeterWithUnits()
    {
        var (_, instruments) = Observe();

        Assert.Equal(
            [
                "Suite.Queue pool.saturation 1",
                "Suite.Queue queue.depth {request}",
                "Suite.Queue queue.depth.by_band {request}",
                "Suite.Queue queue.depth.by_model {request}",
                "Suite.Queue queue.pressure.publish.failures {failure}",
                "Suite.Queue queue.pressure.published {event}",
            ],
            instruments);
        Assert.Equal("Suite.Queue", PoolPressureMetrics.MeterName);
    }

    public void Dispose() => _services.Dispose();

    /// <summary>One collection, as a scrape does it: every measurement as "name value tags", and every instrument, both sorted.</summary>
    private (List<string> Measurements, List<string> Instruments) Observe()
    {
        var measurements = new List<string>();
        var instruments = new List<string>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, _meterFactory))
            {
                instruments.Add($"{instrument.Meter.Name} {instrument.Name} {instrument.Unit}");
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => measurements.Add(Line(instrument, value, tags)));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => measurements.Add(Line(instrument, value, tags)));
        listener.Start();
        listener.RecordObservableInstruments();
        measurements.Sort(StringComparer.Ordinal);
        instruments.Sort(StringComparer.Ordinal);
        return (measurements, instruments);
    }

    private static string Line<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        where T : IFormattable
    {
        var line = $"{instrument.Name} {value.ToString(null, CultureInfo.InvariantCulture)}";
        foreach (var tag in tags)
        {
            line += $" {tag.Key}={tag.Value}";
        }

        return line;
    }
}
