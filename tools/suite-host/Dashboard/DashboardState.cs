using System.Collections.Immutable;
using Suite.Contracts.Catalog;
using Suite.Contracts.Flow;
using Suite.Contracts.Pools;
using Suite.LocalGateway.Observation;

namespace Suite.Host.Dashboard;

/// <summary>
/// What the dashboard knows: the latest <c>pod-state</c>, <c>catalog</c> and <c>pool-pressure</c> event of every
/// pool, the queue's decision counts, and counts of the requests the gateway finished with the latest ones kept.
/// Requests arrive on many threads, one short lock guards it all; the page reads a copy every second.
/// </summary>
internal sealed class DashboardState(TimeProvider time) : IGatewayObserver
{
    public const int DecisionCapacity = 30;

    /// <summary>Distinct model names counted one by one; later names (clients can send anything) share <see cref="OtherModels"/>.</summary>
    public const int ModelCapacity = 50;

    public const string OtherModels = "(other)";

    public const string NoModel = "(none)";

    private readonly Lock _lock = new();
    private readonly Dictionary<string, PoolRecord> _pools = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StatusCounts> _byModel = new(StringComparer.Ordinal);
    private readonly Dictionary<int, StatusCounts> _byPriority = [];
    private readonly StatusCounts _totals = new();
    private readonly RequestRate _rate = new();
    private readonly (GatewayExchange Exchange, int Priority)[] _decisions = new (GatewayExchange, int)[DecisionCapacity];
    private int _decisionCount;
    private int _nextDecision;

    public void Apply(PoolSnapshot snapshot)
    {
        lock (_lock)
        {
            var pool = Pool(snapshot.PoolName);
            if (pool.Pods is null || snapshot.Version > pool.Pods.Version)
            {
                pool.Pods = snapshot;
            }
        }
    }

    public void Apply(CatalogSnapshot snapshot)
    {
        lock (_lock)
        {
            var pool = Pool(snapshot.PoolName);
            if (pool.Catalog is null || snapshot.Version > pool.Catalog.Version)
            {
                pool.Catalog = new CatalogPriorities(snapshot);
            }
        }
    }

    public void Apply(PoolPressureEvent pressure)
    {
        lock (_lock)
        {
            var pool = Pool(pressure.Pool);
            if (pool.Pressure is null || pressure.Version > pool.Pressure.Version)
            {
                pool.Pressure = pressure;
            }
        }
    }

    /// <summary>
    /// Counts the queue's decisions (its <c>queue.decisions</c> counter). Only for pools already heard of here: the
    /// meter is process-wide, and another suite in the same process (tests) must not show up on this one's page.
    /// </summary>
    public void QueueDecided(string pool, string outcome, long count)
    {
        lock (_lock)
        {
            if (!_pools.TryGetValue(pool, out var record))
            {
                return;
            }

            switch (outcome)
            {
                case "admitted":
                    record.QueueAdmitted += count;
                    break;
                case "shed":
                    record.QueueShed += count;
                    break;
                case "queue_full":
                    record.QueueFull += count;
                    break;
                case "expired":
                    record.QueueExpired += count;
                    break;
                case "withdrawn":
                    record.QueueWithdrawn += count;
                    break;
                default:
                    break;
            }
        }
    }

    public void Completed(GatewayExchange exchange)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            var pool = Pool(exchange.Pool);
            var priority = pool.Catalog?.PriorityOf(exchange.Model, exchange.Objective) ?? CatalogPriorities.WithoutCatalog;
            _totals.Add(exchange.Status);
            _rate.Add(now);
            ModelCounts(exchange.Model).Add(exchange.Status);
            if (!_byPriority.TryGetValue(priority, out var band))
            {
                _byPriority[priority] = band = new StatusCounts();
            }

            band.Add(exchange.Status);
            switch (exchange.Detail)
            {
                case "picker_request_shed":
                    pool.RejectedShed++;
                    break;
                case "picker_queue_full":
                    pool.RejectedQueueFull++;
                    break;
                case "picker_queue_expired":
                    pool.RejectedExpired++;
                    break;
                default:
                    break;
            }

            _decisions[_nextDecision] = (exchange, priority);
            _nextDecision = (_nextDecision + 1) % DecisionCapacity;
            _decisionCount = Math.Min(_decisionCount + 1, DecisionCapacity);
        }
    }

    public DashboardSnapshot Snapshot()
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            var pools = ImmutableArray.CreateBuilder<PoolView>(_pools.Count);
            foreach (var (name, pool) in _pools.OrderBy(pair => pair.Key, StringComparer.Ordinal))
            {
                pools.Add(pool.View(name, now));
            }

            var decisions = ImmutableArray.CreateBuilder<DecisionView>(_decisionCount);
            for (var n = 1; n <= _decisionCount; n++)
            {
                var (exchange, priority) = _decisions[(_nextDecision - n + DecisionCapacity) % DecisionCapacity];
                decisions.Add(View(exchange, priority));
            }

            return new DashboardSnapshot(
                now,
                new RequestTotals(
                    _totals.Requests, _totals.Ok, _totals.Throttled, _totals.OtherErrors,
                    _totals.Throttled + _totals.OtherErrors, _rate.PerSecond(now)),
                pools.MoveToImmutable(),
                [.. _byModel
                    .OrderByDescending(pair => pair.Value.Requests).ThenBy(pair => pair.Key, StringComparer.Ordinal)
                    .Select(pair => new ModelCounts(pair.Key, pair.Value.Requests, pair.Value.Ok, pair.Value.Throttled, pair.Value.OtherErrors))],
                [.. _byPriority
                    .OrderByDescending(pair => pair.Key)
                    .Select(pair => new PriorityCounts(pair.Key, pair.Value.Requests, pair.Value.Ok, pair.Value.Throttled, pair.Value.OtherErrors))],
                decisions.MoveToImmutable());
        }
    }

    private PoolRecord Pool(string name)
    {
        if (!_pools.TryGetValue(name, out var pool))
        {
            _pools[name] = pool = new PoolRecord();
        }

        return pool;
    }

    private StatusCounts ModelCounts(string? model)
    {
        var key = model ?? NoModel;
        if (_byModel.TryGetValue(key, out var counts))
        {
            return counts;
        }

        if (_byModel.Count >= ModelCapacity)
        {
            key = OtherModels;
            if (_byModel.TryGetValue(key, out counts))
            {
                return counts;
            }
        }

        return _byModel[key] = new StatusCounts();
    }

    private static DecisionView View(GatewayExchange exchange, int priority)
    {
        var decision = PickerDecision.Parse(exchange.Decision);
        return new DecisionView(
            exchange.Completed,
            exchange.Pool,
            exchange.Model,
            exchange.Objective,
            priority,
            exchange.Status,
            exchange.Endpoint,
            exchange.Outcome,
            exchange.Detail,
            Math.Round(exchange.Duration.TotalMilliseconds, 1),
            decision?.Picked,
            decision?.Candidates,
            decision?.Total,
            decision?.Scores ?? []);
    }

    private sealed class StatusCounts
    {
        public long Requests { get; private set; }

        public long Ok { get; private set; }

        public long Throttled { get; private set; }

        public long OtherErrors { get; private set; }

        public void Add(int status)
        {
            Requests++;
            if (status is >= 200 and < 300)
            {
                Ok++;
            }
            else if (status == 429)
            {
                Throttled++;
            }
            else
            {
                OtherErrors++;
            }
        }
    }

    private sealed class PoolRecord
    {
        public PoolSnapshot? Pods { get; set; }

        public CatalogPriorities? Catalog { get; set; }

        public PoolPressureEvent? Pressure { get; set; }

        public long QueueAdmitted { get; set; }

        public long QueueShed { get; set; }

        public long QueueFull { get; set; }

        public long QueueExpired { get; set; }

        public long QueueWithdrawn { get; set; }

        public long RejectedShed { get; set; }

        public long RejectedQueueFull { get; set; }

        public long RejectedExpired { get; set; }

        public PoolView View(string name, DateTimeOffset now)
        {
            var pods = ImmutableArray.CreateBuilder<PodView>(Pods?.Endpoints.Length ?? 0);
            foreach (var endpoint in Pods?.Endpoints ?? [])
            {
                var metrics = endpoint.Metrics;
                pods.Add(new PodView(
                    endpoint.Address,
                    string.IsNullOrEmpty(endpoint.PodName) ? null : endpoint.PodName,
                    endpoint.BaseModel,
                    !PoolSaturation.IsStale(metrics, SaturationThresholds.Default, now),
                    metrics.WaitingRequests,
                    metrics.RunningRequests,
                    Math.Round(metrics.KvCacheUsage * 100, 1),
                    metrics.ActiveAdapters.IsDefault ? [] : metrics.ActiveAdapters,
                    metrics.WaitingAdapters.IsDefault ? [] : metrics.WaitingAdapters,
                    metrics.MeasuredAt));
            }

            var bands = Pressure?.DepthByBand is { } byBand
                ? [.. byBand.OrderByDescending(pair => pair.Key).Select(pair => new BandDepth(pair.Key, pair.Value))]
                : ImmutableArray<BandDepth>.Empty;
            return new PoolView(
                name,
                Pods?.Version,
                Pods?.TakenAt,
                pods.MoveToImmutable(),
                new QueueView(
                    Pressure?.QueueDepth,
                    Pressure is null ? null : Math.Round(Pressure.Saturation, 3),
                    bands,
                    Pressure?.At,
                    new QueueDecisionCounts(QueueAdmitted, QueueShed, QueueFull, QueueExpired, QueueWithdrawn),
                    new FlowRejections(RejectedShed, RejectedQueueFull, RejectedExpired)));
        }
    }
}
