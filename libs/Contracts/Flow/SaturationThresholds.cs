namespace Suite.Contracts.Flow;

/// <summary>
/// When a model server counts as full (the reference picker's saturation detector): its waiting queue at
/// <see cref="QueueDepth"/>, or its KV cache at <see cref="KvCacheUsage"/>. Bound from configuration
/// (<c>Queue:Saturation</c>, <c>Picker:Saturation</c>), so the queue and the pickers can agree.
/// </summary>
public sealed record SaturationThresholds
{
    public static SaturationThresholds Default { get; } = new();

    public int QueueDepth { get; init; } = 5;

    public double KvCacheUsage { get; init; } = 0.8;

    /// <summary>Figures older than this are not trusted; such a pod counts as saturated.</summary>
    public TimeSpan StaleAfter { get; init; } = TimeSpan.FromSeconds(2);
}
