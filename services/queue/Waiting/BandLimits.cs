namespace Suite.Queue.Waiting;

/// <summary>How much one priority band of one pool may hold.</summary>
public sealed record BandLimits
{
    public int MaxRequests { get; init; } = 1000;

    public long MaxBytes { get; init; } = 64L * 1024 * 1024;
}

public enum FlowOrdering
{
    /// <summary>First come, first served within a flow.</summary>
    Fcfs,

    /// <summary>The request whose deadline is nearest goes first within a flow (then arrival order).</summary>
    EarliestDeadline,
}
