namespace Suite.Picker.Scheduling.Pickers;

/// <summary>Uniformly random, ignoring scores: a baseline for benchmarks.</summary>
public sealed class RandomPicker(IRandomSource random) : IEndpointPicker
{
    public const string TypeName = "random";

    public string Name => TypeName;

    public int Pick(ReadOnlySpan<double> totals, Span<int> chosen)
    {
        var wanted = Math.Min(chosen.Length, totals.Length);
        for (var n = 0; n < wanted; n++)
        {
            chosen[n] = WeightedRandomPicker.NthNotChosen(random.NextInt(totals.Length - n), totals.Length, chosen[..n]);
        }

        return wanted;
    }
}
