using System.Diagnostics.Metrics;
using System.Globalization;

namespace Suite.Queue.Pressure;

/// <summary>
/// The pressure gauges of every pool this replica owns (meter <c>Suite.Queue</c>, shared with the queue's decision
/// counters), read from <see cref="IPoolPressureSource"/> when scraped, and the counters of the <c>pool-pressure</c>
/// publisher. A model or band with nothing waiting has no series: read its absence as 0.
/// </summary>
internal sealed class PoolPressureMetrics
{
    public const string MeterName = "Suite.Queue";

    private readonly Counter<long> _published;
    private readonly Counter<long> _publishFailures;

    public PoolPressureMetrics(IMeterFactory meterFactory, IPoolPressureSource source)
    {
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableGauge("queue.depth", () => Depth(source), "{request}", "Requests waiting in the queue, by pool.");
        meter.CreateObservableGauge("queue.depth.by_model", () => DepthByModel(source), "{request}", "Requests waiting in the queue, by pool and target model.");
        meter.CreateObservableGauge("queue.depth.by_band", () => DepthByBand(source), "{request}",
            "Requests waiting in the queue, by pool and priority band (1 Critical, 0 Standard, -1 Sheddable, or an objective's priority).");
        meter.CreateObservableGauge("pool.saturation", () => Saturation(source), "1",
            "Average pod saturation, by pool: 1 or more is saturated; a pool without pods (or without figures yet) is 1.");
        _published = meter.CreateCounter<long>("queue.pressure.published", "{event}", "Events published on the pool-pressure topic.");
        _publishFailures = meter.CreateCounter<long>(
            "queue.pressure.publish.failures", "{failure}", "Failed publishes on the pool-pressure topic; the pool is published again after the interval.");
    }

    public void Published() => _published.Add(1);

    public void PublishFailed() => _publishFailures.Add(1);

    private static IEnumerable<Measurement<int>> Depth(IPoolPressureSource source)
    {
        foreach (var pressure in source.All)
        {
            yield return new Measurement<int>(pressure.QueueDepth, Pool(pressure));
        }
    }

    private static IEnumerable<Measurement<int>> DepthByModel(IPoolPressureSource source)
    {
        foreach (var pressure in source.All)
        {
            foreach (var (model, depth) in pressure.DepthByModel)
            {
                yield return new Measurement<int>(depth, Pool(pressure), new KeyValuePair<string, object?>("model", model));
            }
        }
    }

    private static IEnumerable<Measurement<int>> DepthByBand(IPoolPressureSource source)
    {
        foreach (var pressure in source.All)
        {
            foreach (var (band, depth) in pressure.DepthByBand)
            {
                yield return new Measurement<int>(
                    depth, Pool(pressure), new KeyValuePair<string, object?>("band", band.ToString(CultureInfo.InvariantCulture)));
            }
        }
    }

    private static IEnumerable<Measurement<double>> Saturation(IPoolPressureSource source)
    {
        foreach (var pressure in source.All)
        {
            yield return new Measurement<double>(pressure.Saturation, Pool(pressure));
        }
    }

    private static KeyValuePair<string, object?> Pool(PoolPressure pressure) => new("pool", pressure.Pool);
}
