using System.Collections.Immutable;

namespace Suite.Contracts.Pools;

/// <summary>Load figures scraped from one model server.</summary>
/// <param name="WaitingRequests">Requests queued in the server, not yet running.</param>
/// <param name="RunningRequests">Requests in the server's running batch.</param>
/// <param name="KvCacheUsage">Fraction of KV-cache blocks in use, 0 to 1.</param>
/// <param name="ActiveAdapters">LoRA adapters loaded and serving.</param>
/// <param name="WaitingAdapters">LoRA adapters requested but waiting for a slot.</param>
/// <param name="MaxLora">LoRA slots the server has; 0 when it serves no adapters.</param>
/// <param name="MeasuredAt">When these figures were scraped (the last good sample); null for declared (static) figures that never go stale.</param>
public sealed record EndpointMetrics(
    int WaitingRequests,
    int RunningRequests,
    double KvCacheUsage,
    ImmutableArray<string> ActiveAdapters,
    ImmutableArray<string> WaitingAdapters,
    int MaxLora,
    DateTimeOffset? MeasuredAt)
{
    public static EndpointMetrics Empty { get; } = new(0, 0, 0, [], [], 0, null);

    /// <summary>The latest scrape failed: the figures are the last good ones, from <see cref="MeasuredAt"/>, and not to be trusted.</summary>
    public bool Stale { get; init; }

    /// <summary>KV-cache block size in tokens, from the server's cache config; null when it does not say.</summary>
    public int? BlockSize { get; init; }

    /// <summary>KV-cache blocks the server has; null when it does not say.</summary>
    public int? BlockCount { get; init; }
}
