namespace Suite.Picker.Scheduling.Filters;

/// <summary>Keeps endpoints whose model-server queue is at most <see cref="Threshold"/> requests, when any is.</summary>
public sealed class LowQueueFilter(int threshold) : ICandidateFilter
{
    public const string TypeName = "low-queue";

    public int Threshold { get; } = threshold;

    public string Name => TypeName;

    public int Filter(in SchedulingRequest request, Span<Candidate> candidates) =>
        SoftFilter.Keep(candidates, new QueueAtMost(Threshold));

    private readonly record struct QueueAtMost(int Threshold) : ICandidateTest
    {
        public bool Passes(in Candidate candidate) => candidate.Metrics.WaitingRequests <= Threshold;
    }
}
