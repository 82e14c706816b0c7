namespace Suite.Picker.Scheduling;

/// <summary>Turns weighted total scores into an ordered choice: the primary endpoint, then fallbacks.</summary>
public interface IEndpointPicker
{
    string Name { get; }

    /// <summary>Writes candidate indexes, most preferred first, into <paramref name="chosen"/>; returns how many were written.</summary>
    int Pick(ReadOnlySpan<double> totals, Span<int> chosen);
}
