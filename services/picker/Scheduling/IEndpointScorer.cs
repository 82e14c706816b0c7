namespace Suite.Picker.Scheduling;

/// <summary>Rates every candidate between 0 (worst) and 1 (best) on one concern.</summary>
public interface IEndpointScorer
{
    string Name { get; }

    void Score(in SchedulingRequest request, ReadOnlySpan<Candidate> candidates, Span<double> scores);
}
