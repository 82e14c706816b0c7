using Suite.Contracts.Catalog;

namespace Suite.Queue.Waiting;

/// <summary>One request held in a pool's queue until it is admitted, expires or is withdrawn.</summary>
internal sealed class WaitingRequest(
    string id, int band, Criticality criticality, string flow, string model, long sizeBytes, DateTimeOffset enqueuedAt, DateTimeOffset deadline)
{
    private readonly TaskCompletionSource<QueueOutcome> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Id { get; } = id;

    public int Band { get; } = band;

    public Criticality Criticality { get; } = criticality;

    /// <summary>The fairness id: requests of one band are served round-robin between flows.</summary>
    public string Flow { get; } = flow;

    public string Model { get; } = model;

    public long SizeBytes { get; } = sizeBytes;

    public DateTimeOffset EnqueuedAt { get; } = enqueuedAt;

    public DateTimeOffset Deadline { get; } = deadline;

    /// <summary>Arrival order across the whole pool, the tie-break for equal deadlines.</summary>
    public long Sequence { get; init; }

    public Task<QueueOutcome> Outcome => _outcome.Task;

    /// <summary>Still in the queue: the lanes skip requests that left (expired, withdrawn) when they reach the head.</summary>
    public bool IsWaiting => !LeftQueue;

    /// <summary>Set by the queue when the request is taken or removed, so its counts change exactly once.</summary>
    public bool LeftQueue { get; set; }

    public void Complete(QueueOutcome outcome) => _outcome.TrySetResult(outcome);
}

public enum QueueOutcomeKind
{
    Admitted,
    QueueFull,
    Shed,
    Expired,

    /// <summary>The caller cancelled (the client went away); nothing is answered.</summary>
    Withdrawn,
}

/// <summary>How a request left (or never entered) the queue, and after how long.</summary>
public readonly record struct QueueOutcome(QueueOutcomeKind Kind, TimeSpan Waited);
