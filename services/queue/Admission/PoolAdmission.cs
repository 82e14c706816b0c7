using Suite.Contracts.Catalog;
using Suite.Contracts.Flow;
using Suite.Contracts.Pools;
using Suite.Queue.Hosting;
using Suite.Queue.Pressure;
using Suite.Queue.Waiting;

namespace Suite.Queue.Admission;

/// <summary>
/// One pool's flow control. Each pod-state snapshot gives a release budget: the requests the pool can still absorb
/// (per fresh pod, floor((1 − saturation) × queue threshold)) less those released since the pods were measured, so
/// releases never outrun what the pool can take. Requests are admitted at once while the pool is not saturated and
/// nothing of their band or above waits; otherwise a sheddable one is shed when the demand (pod saturation plus the
/// backlog here, counted as if it sat in the pods' queues) is 1 or more, and the rest wait in band, flow and arrival
/// order until the budget lets them go, their deadline passes (expired) or their caller leaves (withdrawn).
/// Without trustworthy figures (no snapshot yet, or every pod stale) the queue cannot see capacity, so it does what
/// a picker does alone: admit, shed the sheddable. A pool that has no pods at all is saturated: requests wait for
/// pods (and their depth is what scales the pool up from zero).
/// </summary>
internal sealed class PoolAdmission
{
    private readonly Lock _lock = new();
    private readonly QueueOptions _options;
    private readonly TimeProvider _time;
    private readonly PoolQueue _queue;
    private readonly Queue<DateTimeOffset> _releases = new();
    private PoolSnapshot? _snapshot;
    private double _saturation = 1;
    private int _freshPods;
    private bool _blind = true;
    private int _budget;
    private PoolPressure _pressure;

    public PoolAdmission(string pool, QueueOptions options, TimeProvider time)
    {
        Pool = pool;
        _options = options;
        _time = time;
        _queue = new PoolQueue(options.LimitsFor, options.WithinFlow);
        _pressure = PoolPressure.Idle(pool, time.GetUtcNow()) with { Saturation = 1 };
    }

    public string Pool { get; }

    public PoolPressure Pressure => _pressure;

    /// <summary>Raised outside the lock after the pool's pressure changed.</summary>
    public event Action<PoolPressure>? PressureChanged;

    /// <summary>Raised for every decided request (for the metrics).</summary>
    public event Action<QueueOutcome>? Decided;

    /// <summary>Decides at once, or queues the request; a queued one is then awaited with <see cref="WaitAsync"/>.</summary>
    public AdmissionTicket Enter(AdmissionArgs args)
    {
        var now = _time.GetUtcNow();
        var band = FlowBands.Of(args.Criticality, args.Priority);
        var sheddable = FlowBands.IsSheddable(args.Criticality, band);
        var longest = now + _options.MaxTimeToLive;
        var deadline = args.Deadline is { } asked ? (asked < longest ? asked : longest) : now + _options.DefaultTimeToLive;
        AdmissionTicket ticket;
        lock (_lock)
        {
            ticket = Decide(args, band, sheddable, now, deadline);
        }

        if (ticket.Decided is { } outcome)
        {
            Decided?.Invoke(outcome);
        }

        if (ticket.Waiting is { } waiting)
        {
            ArmExpiry(waiting, deadline - now);
        }

        PublishPressure();
        return ticket;
    }

    /// <summary>Waits for a queued request's outcome; cancelling withdraws it from the queue at once.</summary>
    public async Task<QueueOutcome> WaitAsync(WaitingRequest request, CancellationToken cancellationToken)
    {
        using (cancellationToken.Register(() => Leave(request, QueueOutcomeKind.Withdrawn)))
        {
            var outcome = await request.Outcome;
            return outcome;
        }
    }

    /// <summary>A newer snapshot of the pool: new saturation and budget, then release what fits.</summary>
    public void OnPoolState(PoolSnapshot snapshot)
    {
        List<WaitingRequest> released;
        List<WaitingRequest> shed;
        bool blind;
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            if (_snapshot is { } held && snapshot.Version <= held.Version)
            {
                return;
            }

            _snapshot = snapshot;
            _saturation = PoolSaturation.Of(snapshot, _options.Saturation, now);
            var (headroom, fresh, seenUpTo) = Headroom(snapshot, now);
            _blind = snapshot.Endpoints.Length > 0 && fresh == 0;
            _freshPods = fresh;
            while (_releases.TryPeek(out var at) && at <= seenUpTo)
            {
                _releases.Dequeue();
            }

            _budget = Math.Max(0, headroom - _releases.Count);
            blind = _blind;
            released = blind ? TakeAll() : Drain(now);
            shed = !blind && Demand() >= 1 ? _queue.RemoveWhere(r => FlowBands.IsSheddable(r.Criticality, r.Band)) : [];
        }

        Complete(released, now, blind ? null : QueueOutcomeKind.Admitted);
        Complete(shed, now, QueueOutcomeKind.Shed);
        PublishPressure();
    }

    private AdmissionTicket Decide(AdmissionArgs args, int band, bool sheddable, DateTimeOffset now, DateTimeOffset deadline)
    {
        if (_blind)
        {
            return AdmissionTicket.Now(sheddable ? QueueOutcomeKind.Shed : QueueOutcomeKind.Admitted, band);
        }

        var saturated = _saturation >= 1;
        if (!saturated && _budget > 0 && !_queue.AnyAtOrAbove(band))
        {
            _budget--;
            _releases.Enqueue(now);
            return AdmissionTicket.Now(QueueOutcomeKind.Admitted, band);
        }

        if (sheddable && (saturated || Demand() >= 1))
        {
            return AdmissionTicket.Now(QueueOutcomeKind.Shed, band);
        }

        if (deadline <= now)
        {
            return AdmissionTicket.Now(QueueOutcomeKind.Expired, band);
        }

        var request = _queue.Create(args.RequestId, band, args.Criticality, args.FairnessId, args.TargetModel, args.SizeBytes, now, deadline);
        if (!_queue.TryAdd(request))
        {
            // Critical requests are never turned away: they go on to the least-loaded pod instead.
            return AdmissionTicket.Now(args.Criticality == Criticality.Critical ? QueueOutcomeKind.Admitted : QueueOutcomeKind.QueueFull, band);
        }

        return new AdmissionTicket(null, request, band, _queue.Count);
    }

    /// <summary>
    /// The pool's saturation with what waits here added as if it sat in the pods' queues: the pods alone stay just
    /// under 1 while the queue holds the backlog, so shedding looks at the demand instead.
    /// </summary>
    private double Demand() =>
        _freshPods == 0 ? _saturation : _saturation + ((double)_queue.Count / (_freshPods * _options.Saturation.QueueDepth));

    private void ArmExpiry(WaitingRequest request, TimeSpan delay)
    {
        var timer = _time.CreateTimer(_ => Leave(request, QueueOutcomeKind.Expired), null, delay, Timeout.InfiniteTimeSpan);
        _ = request.Outcome.ContinueWith(_ => timer.Dispose(), TaskScheduler.Default);
    }

    /// <summary>Expired or withdrawn: out of the queue, if it is still there.</summary>
    private void Leave(WaitingRequest request, QueueOutcomeKind kind)
    {
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            if (!_queue.Remove(request))
            {
                return;
            }
        }

        Complete([request], now, kind);
        PublishPressure();
    }

    private List<WaitingRequest> Drain(DateTimeOffset now)
    {
        var released = new List<WaitingRequest>();
        while (_budget > 0 && _queue.Take() is { } request)
        {
            _budget--;
            _releases.Enqueue(now);
            released.Add(request);
        }

        return released;
    }

    private List<WaitingRequest> TakeAll()
    {
        var all = new List<WaitingRequest>();
        while (_queue.Take() is { } request)
        {
            all.Add(request);
        }

        return all;
    }

    /// <summary>
    /// Outcomes are set outside the lock, since a handler may call back in. A null <paramref name="kind"/> is the
    /// blind release: the sheddable are shed, the rest admitted.
    /// </summary>
    private void Complete(List<WaitingRequest> requests, DateTimeOffset now, QueueOutcomeKind? kind)
    {
        foreach (var request in requests)
        {
            var outcomeKind = kind ?? (FlowBands.IsSheddable(request.Criticality, request.Band) ? QueueOutcomeKind.Shed : QueueOutcomeKind.Admitted);
            var outcome = new QueueOutcome(outcomeKind, now - request.EnqueuedAt);
            request.Complete(outcome);
            Decided?.Invoke(outcome);
        }
    }

    private (int Headroom, int Fresh, DateTimeOffset SeenUpTo) Headroom(PoolSnapshot snapshot, DateTimeOffset now)
    {
        var headroom = 0;
        var fresh = 0;
        var seenUpTo = DateTimeOffset.MaxValue;
        foreach (var endpoint in snapshot.Endpoints)
        {
            var metrics = endpoint.Metrics;
            if (PoolSaturation.IsStale(metrics, _options.Saturation, now))
            {
                continue;
            }

            fresh++;
            var saturation = PoolSaturation.OfPod(metrics, _options.Saturation, now);
            // The epsilon keeps 4 of 5 waiting (saturation 0.8, 0.2 × 5 = 0.999…) at one free slot.
            headroom += Math.Max(0, (int)Math.Floor(((1 - saturation) * _options.Saturation.QueueDepth) + 1e-9));
            if (metrics.MeasuredAt is { } measured && measured < seenUpTo)
            {
                seenUpTo = measured;
            }
        }

        // Declared figures (no measurement time) never see a release: count every release since this snapshot.
        return (headroom, fresh, seenUpTo == DateTimeOffset.MaxValue ? snapshot.TakenAt : seenUpTo);
    }

    private void PublishPressure()
    {
        PoolPressure pressure;
        lock (_lock)
        {
            var next = new PoolPressure(Pool, _saturation, _queue.Count, _queue.DepthByModel(), _queue.DepthByBand(), _time.GetUtcNow());
            if (SamePressure(next, _pressure))
            {
                return;
            }

            pressure = _pressure = next;
        }

        PressureChanged?.Invoke(pressure);
    }

    private static bool SamePressure(PoolPressure a, PoolPressure b) =>
        a.Saturation.Equals(b.Saturation)
        && a.QueueDepth == b.QueueDepth
        && a.DepthByModel.Count == b.DepthByModel.Count && a.DepthByModel.All(pair => b.DepthByModel.TryGetValue(pair.Key, out var n) && n == pair.Value)
        && a.DepthByBand.Count == b.DepthByBand.Count && a.DepthByBand.All(pair => b.DepthByBand.TryGetValue(pair.Key, out var n) && n == pair.Value);
}
