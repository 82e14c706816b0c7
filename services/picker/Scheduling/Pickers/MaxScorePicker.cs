namespace Suite.Picker.Scheduling.Pickers;

/// <summary>The highest total first, ties broken at random; fallbacks follow in descending score.</summary>
public sealed class MaxScorePicker(IRandomSource random) : IEndpointPicker
{
    public const string TypeName = "max-score";

    // Scores are sums of weighted fractions; differences below this are rounding, not preference.
    private const double Tie = 1e-9;

    public string Name => TypeName;

    public int Pick(ReadOnlySpan<double> totals, Span<int> chosen)
    {
        var wanted = Math.Min(chosen.Length, totals.Length);
        for (var n = 0; n < wanted; n++)
        {
            chosen[n] = BestNotChosen(totals, chosen[..n]);
        }

        return wanted;
    }

    private int BestNotChosen(ReadOnlySpan<double> totals, ReadOnlySpan<int> already)
    {
        var best = -1;
        var ties = 0;
        for (var i = 0; i < totals.Length; i++)
        {
            if (already.Contains(i))
            {
                continue;
            }

            if (best < 0 || totals[i] > totals[best] + Tie)
            {
                best = i;
                ties = 1;
            }
            else if (Math.Abs(totals[i] - totals[best]) <= Tie && random.NextInt(++ties) == 0)
            {
                // Reservoir sampling: each of the tied candidates ends up chosen with equal probability.
                best = i;
            }
        }

        return best;
    }
}
