namespace Suite.Picker.Scheduling.Scorers;

/// <summary>Prefers endpoints with fewer requests waiting in the model server's queue.</summary>
public sealed class QueueDepthScorer : IEndpointScorer
{
    public const string TypeName = "queue-depth";

    public string Name => TypeName;

    public void Score(in SchedulingRequest request, ReadOnlySpan<Candidate> candidates, Span<double> scores) =>
        InverseRange.Score<WaitingRequestsFigure>(candidates, scores);

    private readonly struct WaitingRequestsFigure : ICandidateFigure
    {
        public static int Read(in Candidate candidate) => candidate.Metrics.WaitingRequests;
    }
}
