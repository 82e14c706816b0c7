using Microsoft.Extensions.Options;
using Suite.Picker.Hosting;
using Suite.Picker.Observability;
using Suite.Picker.Pools;

namespace Suite.Picker.Admission;

/// <summary>
/// Step 4 of the hot path, before scheduling: whether a request may go to a model server now. While the pool is
/// not saturated (and nothing waits in the queue) every request is admitted at once, with no allocation and no
/// network call. On a saturated pool, or while the queue holds requests of the pool,
/// the queue decides (admit, possibly after a wait; turn away; expire); when there is no queue or it fails, the
/// picker decides itself: sheddable requests are turned away, the others admitted. Critical requests are never
/// turned away, whatever the queue says about room.
/// </summary>
internal sealed class AdmissionGate
{
    private readonly IPoolState _pool;
    private readonly QueueBacklog _backlog;
    private readonly PoolSaturationCache _saturation;
    private readonly QueueAdmission _queue;
    private readonly bool _queueConfigured;
    private readonly TimeSpan _maxWait;
    private readonly PickerMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public AdmissionGate(
        IPoolState pool,
        QueueBacklog backlog,
        IAdmissionQueueClient queue,
        IOptions<PickerOptions> options,
        PickerMetrics metrics,
        TimeProvider time,
        ILogger<AdmissionGate> logger)
    {
        var settings = options.Value;
        _pool = pool;
        _backlog = backlog;
        _saturation = new PoolSaturationCache(settings.Saturation);
        _queue = new QueueAdmission(queue, new QueueHealth(logger), settings.Queue.ConnectTimeout, time);
        _queueConfigured = settings.Queue.Addresses.Length > 0;
        _maxWait = settings.Queue.MaxWait;
        _metrics = metrics;
        _time = time;
        _logger = logger;
    }

    public ValueTask<AdmissionOutcome> AdmitAsync(AdmissionRequest request, CancellationToken cancellationToken)
    {
        // Without a snapshot the scheduler answers 503 anyway; there is nothing to queue for.
        var snapshot = _pool.Current;
        if (snapshot is null)
        {
            return new ValueTask<AdmissionOutcome>(Decided(AdmissionOutcome.AdmittedUnsaturated));
        }

        // Below saturation the request goes at once, unless others wait in the queue: then it takes its place there.
        var saturation = _saturation.Of(snapshot, _time.GetUtcNow());
        if (saturation < 1 && !(_queueConfigured && _backlog.AnyWaiting))
        {
            return new ValueTask<AdmissionOutcome>(Decided(AdmissionOutcome.AdmittedUnsaturated));
        }

        return _queueConfigured
            ? AskQueueAsync(request, snapshot.PoolName, saturation, cancellationToken)
            : new ValueTask<AdmissionOutcome>(Decided(Locally(request, FallbackReason.NoQueue), request, snapshot.PoolName, saturation));
    }

    private async ValueTask<AdmissionOutcome> AskQueueAsync(
        AdmissionRequest request, string pool, double saturation, CancellationToken cancellationToken)
    {
        var deadline = _time.GetUtcNow() + _maxWait;
        var answer = await _queue.AskAsync(request.ToAdmitRequest(pool, deadline), deadline, cancellationToken);
        var outcome = answer.Verdict switch
        {
            QueueVerdict.Admitted => AdmissionOutcome.AdmittedByQueue,
            QueueVerdict.QueueFull or QueueVerdict.Shed when request.IsCritical => AdmissionOutcome.AdmittedLocally,
            QueueVerdict.QueueFull => AdmissionOutcome.QueueFull,
            QueueVerdict.Shed => AdmissionOutcome.Shed,
            QueueVerdict.Expired => AdmissionOutcome.Expired,
            _ => Locally(request, answer.Failure),
        };
        return Decided(outcome, request, pool, saturation);
    }

    private AdmissionOutcome Locally(AdmissionRequest request, FallbackReason reason)
    {
        _metrics.AdmissionFellBack(reason);
        return request.IsSheddable ? AdmissionOutcome.Shed : AdmissionOutcome.AdmittedLocally;
    }

    private AdmissionOutcome Decided(AdmissionOutcome outcome, AdmissionRequest request, string pool, double saturation)
    {
        AdmissionLog.Decided(_logger, request.RequestId, pool, saturation, AdmissionLabels.Of(outcome));
        return Decided(outcome);
    }

    private AdmissionOutcome Decided(AdmissionOutcome outcome)
    {
        _metrics.AdmissionDecided(outcome);
        return outcome;
    }
}
