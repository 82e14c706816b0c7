using Suite.Routing.Quality.Workload;

namespace Suite.Routing.Quality.Gateway;

/// <summary>How one request ended, as the client of the gateway sees it.</summary>
internal enum RequestOutcome
{
    /// <summary>Routed, answered 200 by the pod, streamed to the end.</summary>
    Completed,

    /// <summary>429 from the picker (a sheddable request while the pool is saturated) or from the pod (waiting queue full).</summary>
    Shed,

    /// <summary>Any other answer the picker gave itself, an error status from the pod, or a transport failure.</summary>
    Error,

    /// <summary>Still unfinished when the run's drain time ran out, then cancelled.</summary>
    Unfinished,
}

/// <summary>
/// One request's outcome and timings, in milliseconds from its scheduled arrival (so a late generator or a wait
/// anywhere shows up in them). An unfinished request's TTFT is how long it had waited without a token when it was
/// cancelled (a lower bound), so a strategy that leaves requests stranded is not flattered by their absence.
/// </summary>
internal sealed record RequestRecord(
    PlannedRequest Request,
    RequestOutcome Outcome,
    string? Detail,
    double? TtftMs,
    double? E2eMs,
    int PromptTokens,
    int CachedTokens,
    int OutputTokens,
    string? Endpoint)
{
    /// <summary>Mean time between output tokens after the first; null with fewer than two tokens.</summary>
    public double? TpotMs => Outcome == RequestOutcome.Completed && OutputTokens > 1 && TtftMs is { } ttft && E2eMs is { } e2e
        ? (e2e - ttft) / (OutputTokens - 1)
        : null;
}
