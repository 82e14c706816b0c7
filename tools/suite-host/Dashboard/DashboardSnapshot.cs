using System.Collections.Immutable;

namespace Suite.Host.Dashboard;

/// <summary>Everything the dashboard page shows, at one moment (<c>GET /dashboard/state</c>).</summary>
/// <param name="Pools">Every pool heard of on the bus or in a request, by name.</param>
/// <param name="ByModel">Requests per requested model name, most requests first.</param>
/// <param name="ByPriority">Requests per priority band, highest band first.</param>
/// <param name="Decisions">The latest requests through the gateway, newest first.</param>
internal sealed record DashboardSnapshot(
    DateTimeOffset At,
    RequestTotals Totals,
    ImmutableArray<PoolView> Pools,
    ImmutableArray<ModelCounts> ByModel,
    ImmutableArray<PriorityCounts> ByPriority,
    ImmutableArray<DecisionView> Decisions);

/// <summary>Requests the gateway finished, by status class.</summary>
/// <param name="Ok">2xx.</param>
/// <param name="Throttled">429 (shed, queue full, nothing schedulable).</param>
/// <param name="OtherErrors">Every other status (4xx other than 429, 5xx).</param>
/// <param name="Errors"><paramref name="Throttled"/> plus <paramref name="OtherErrors"/>.</param>
/// <param name="RequestsPerSecond">Requests finished in the last 10 s, divided by 10.</param>
internal sealed record RequestTotals(long Requests, long Ok, long Throttled, long OtherErrors, long Errors, double RequestsPerSecond);

internal sealed record ModelCounts(string Model, long Requests, long Ok, long Throttled, long OtherErrors);

internal sealed record PriorityCounts(int Priority, long Requests, long Ok, long Throttled, long OtherErrors);

/// <param name="SnapshotVersion">The latest <c>pod-state</c> snapshot's version; null before the first.</param>
/// <param name="SnapshotAt">When the metrics-collector took that snapshot.</param>
internal sealed record PoolView(
    string Name,
    long? SnapshotVersion,
    DateTimeOffset? SnapshotAt,
    ImmutableArray<PodView> Pods,
    QueueView Queue);

/// <param name="Fresh">False when the latest scrape failed or the figures are older than 2 s (the pickers' default <c>StaleAfter</c>).</param>
/// <param name="KvCachePercent">KV-cache blocks in use, in percent, to one decimal.</param>
internal sealed record PodView(
    string Address,
    string? PodName,
    string? BaseModel,
    bool Fresh,
    int Waiting,
    int Running,
    double KvCachePercent,
    ImmutableArray<string> Adapters,
    ImmutableArray<string> WaitingAdapters,
    DateTimeOffset? MeasuredAt);

/// <summary>One pool's flow control, from three sources that the page names.</summary>
/// <param name="Depth">Requests waiting in the queue (<c>pool-pressure</c>); null before the first event.</param>
/// <param name="Saturation">The queue's view of the pool's saturation (<c>pool-pressure</c>); 1 or more is saturated.</param>
/// <param name="DepthByBand">Waiting requests per priority band (<c>pool-pressure</c>).</param>
/// <param name="QueueDecisions">The queue's own decisions (meter <c>Suite.Queue</c>, <c>queue.decisions</c>): only requests a picker sent to it.</param>
/// <param name="Rejected">Requests the pool's picker answered 429/503 for flow control, as the gateway saw them.</param>
internal sealed record QueueView(
    int? Depth,
    double? Saturation,
    ImmutableArray<BandDepth> DepthByBand,
    DateTimeOffset? PressureAt,
    QueueDecisionCounts QueueDecisions,
    FlowRejections Rejected);

internal sealed record BandDepth(int Band, int Waiting);

internal sealed record QueueDecisionCounts(long Admitted, long Shed, long QueueFull, long Expired, long Withdrawn);

/// <param name="Shed"><c>picker_request_shed</c> (429).</param>
/// <param name="QueueFull"><c>picker_queue_full</c> (429).</param>
/// <param name="Expired"><c>picker_queue_expired</c> (503).</param>
internal sealed record FlowRejections(long Shed, long QueueFull, long Expired);

/// <summary>One request through the gateway and, when the picker explained it, the scores of the endpoint it picked.</summary>
/// <param name="Priority">The band it was counted in (see <see cref="DashboardState"/>).</param>
/// <param name="Endpoint">The model server that served it, after fallbacks.</param>
/// <param name="Picked">The endpoint the picker chose (from <c>x-picker-decision</c>).</param>
/// <param name="Candidates">How many endpoints the picker scored.</param>
/// <param name="Score">The picked endpoint's total score; null when the explanation does not list it.</param>
/// <param name="Scores">The picked endpoint's score from each scorer, in the profile's order.</param>
internal sealed record DecisionView(
    DateTimeOffset Time,
    string Pool,
    string? Model,
    string? Objective,
    int Priority,
    int Status,
    string? Endpoint,
    string Outcome,
    string? Detail,
    double DurationMs,
    string? Picked,
    int? Candidates,
    double? Score,
    ImmutableArray<ScorerScore> Scores);

internal sealed record ScorerScore(string Scorer, double Score);
