using System.Diagnostics.Metrics;
using Suite.Contracts.Pools;
using Suite.Picker.Pools;

namespace Suite.Picker.Observability;

/// <summary>
/// The pool as this picker sees it, read from the current snapshot at each scrape: the reference picker's pool
/// gauges (label <c>name</c> = the InferencePool) and our own staleness figures.
/// </summary>
public sealed class PoolGauges
{
    public const string AverageKvCacheUtilization = "inference_pool_average_kv_cache_utilization";
    public const string AverageQueueSize = "inference_pool_average_queue_size";
    public const string PerPodQueueSize = "inference_pool_per_pod_queue_size";
    public const string ReadyPods = "inference_pool_ready_pods";
    public const string SnapshotAge = "picker.pool.snapshot.age";
    public const string StaleEndpoints = "picker.pool.stale_endpoints";

    private readonly IPoolState _pool;
    private readonly TimeProvider _time;

    public PoolGauges(IMeterFactory meterFactory, IPoolState pool, TimeProvider time)
    {
        _pool = pool;
        _time = time;
        var meter = meterFactory.Create(PickerMetrics.MeterName);
        meter.CreateObservableGauge(AverageKvCacheUtilization, () => Average(m => m.KvCacheUsage), "{ratio}",
            "Mean KV-cache use of the pool's endpoints with fresh figures, 0 to 1.");
        meter.CreateObservableGauge(AverageQueueSize, () => Average(m => m.WaitingRequests), "{request}",
            "Mean number of requests waiting in the model servers' queues, over endpoints with fresh figures.");
        meter.CreateObservableGauge(PerPodQueueSize, PerPod, "{request}",
            "Requests waiting in each model server's queue (label model_server_pod).");
        meter.CreateObservableGauge(ReadyPods, () => Pool(current => current.Endpoints.Length), "{pod}",
            "Endpoints in the pool's latest snapshot.");
        meter.CreateObservableGauge(SnapshotAge, Age, "s", "Age of the pool snapshot this picker routes on.");
        meter.CreateObservableGauge(StaleEndpoints, () => Pool(current => current.Endpoints.Count(e => e.Metrics.Stale)), "{endpoint}",
            "Endpoints whose latest scrape failed, so their figures are not trusted.");
    }

    private IEnumerable<Measurement<int>> Pool(Func<PoolSnapshot, int> read)
    {
        if (_pool.Current is { } current)
        {
            yield return new Measurement<int>(read(current), NameOf(current));
        }
    }

    private IEnumerable<Measurement<double>> Average(Func<EndpointMetrics, double> read)
    {
        if (_pool.Current is not { } current)
        {
            yield break;
        }

        var sum = 0.0;
        var count = 0;
        foreach (var endpoint in current.Endpoints)
        {
            if (!endpoint.Metrics.Stale)
            {
                sum += read(endpoint.Metrics);
                count++;
            }
        }

        yield return new Measurement<double>(count == 0 ? 0 : sum / count, NameOf(current));
    }

    private IEnumerable<Measurement<int>> PerPod()
    {
        if (_pool.Current is not { } current)
        {
            yield break;
        }

        foreach (var endpoint in current.Endpoints)
        {
            yield return new Measurement<int>(
                endpoint.Metrics.WaitingRequests, NameOf(current), new KeyValuePair<string, object?>("model_server_pod", endpoint.PodName));
        }
    }

    private IEnumerable<Measurement<double>> Age()
    {
        if (_pool.Current is { } current)
        {
            yield return new Measurement<double>(Math.Max(0, (_time.GetUtcNow() - current.TakenAt).TotalSeconds), NameOf(current));
        }
    }

    private static KeyValuePair<string, object?> NameOf(PoolSnapshot snapshot) => new("name", snapshot.PoolName);
}
