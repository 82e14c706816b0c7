namespace Suite.Picker.Scheduling;

/// <summary>Narrows the candidate set before scoring.</summary>
public interface ICandidateFilter
{
    string Name { get; }

    /// <summary>Moves the endpoints that pass to the front of <paramref name="candidates"/> and returns how many passed.</summary>
    int Filter(in SchedulingRequest request, Span<Candidate> candidates);
}
