using Suite.Queue.Overload.Workload;

namespace Suite.Queue.Overload.Gateway;

/// <summary>How one request ended, as the client of the gateway sees it.</summary>
internal enum RequestOutcome
{
    /// <summary>Routed, answered 200 by the pod, streamed to the end.</summary>
    Completed,

    /// <summary>429 from the picker: the pool is saturated and the request sheddable (<c>picker_request_shed</c>).</summary>
    Shed,

    /// <summary>429 from the picker: the queue's band is full (<c>picker_queue_full</c>).</summary>
    QueueFull,

    /// <summary>503 from the picker: the request waited in the queue until its deadline (<c>picker_queue_expired</c>).</summary>
    Expired,

    /// <summary>Any other answer the picker gave itself (the detail names it).</summary>
    PickerRejected,

    /// <summary>Routed, but the pod answered with an error status (e.g. 429 when its waiting queue is full).</summary>
    UpstreamError,

    /// <summary>A transport or protocol failure (the detail says which).</summary>
    Failed,

    /// <summary>Still unfinished when the arm's drain time ran out, then cancelled.</summary>
    Cancelled,
}

/// <summary>
/// One request's outcome and timings, in milliseconds from its scheduled arrival (so a late generator or a wait
/// anywhere shows up in them).
/// </summary>
/// <param name="AtSeconds">When it was due, in seconds from the start of the arm.</param>
/// <param name="LagMs">How late the generator started the request.</param>
/// <param name="DecisionMs">Until the picker's first answer: the routing decision (including any wait in the queue) or its own answer.</param>
/// <param name="TtftMs">Until the first output token arrived from the pod.</param>
/// <param name="E2eMs">Until the pod's response ended.</param>
/// <param name="Endpoint">The pod the picker chose.</param>
internal sealed record RequestRecord(
    int Index,
    double AtSeconds,
    RequestClass Class,
    RequestOutcome Outcome,
    string? Detail,
    double LagMs,
    double? DecisionMs,
    double? TtftMs,
    double? E2eMs,
    int PromptTokens,
    int OutputTokens,
    string? Endpoint);
