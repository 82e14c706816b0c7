namespace Suite.Picker.Scheduling.Scorers;

/// <summary>
/// Prefers endpoints with fewer requests in total: waiting, running, and sent by this picker since the last
/// measurement. Joining the shortest such queue keeps batches even when no endpoint has a queue yet, which
/// <see cref="QueueDepthScorer"/> cannot see.
/// </summary>
public sealed class OutstandingRequestsScorer : IEndpointScorer
{
    public const string TypeName = "outstanding-requests";

    public string Name => TypeName;

    public void Score(in SchedulingRequest request, ReadOnlySpan<Candidate> candidates, Span<double> scores) =>
        InverseRange.Score<OutstandingFigure>(candidates, scores);

    private readonly struct OutstandingFigure : ICandidateFigure
    {
        public static int Read(in Candidate candidate) =>
            candidate.Metrics.WaitingRequests + candidate.Metrics.RunningRequests + candidate.UnseenInFlight;
    }
}
