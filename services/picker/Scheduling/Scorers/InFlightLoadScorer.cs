namespace Suite.Picker.Scheduling.Scorers;

/// <summary>
/// Prefers endpoints to which this picker has sent fewer requests since their last measurement, so a burst
/// that arrives between two scrapes spreads out instead of piling onto the endpoint that looked best.
/// </summary>
public sealed class InFlightLoadScorer : IEndpointScorer
{
    public const string TypeName = "in-flight";

    public string Name => TypeName;

    public void Score(in SchedulingRequest request, ReadOnlySpan<Candidate> candidates, Span<double> scores) =>
        InverseRange.Score<UnseenInFlightFigure>(candidates, scores);

    private readonly struct UnseenInFlightFigure : ICandidateFigure
    {
        public static int Read(in Candidate candidate) => candidate.UnseenInFlight;
    }
}
