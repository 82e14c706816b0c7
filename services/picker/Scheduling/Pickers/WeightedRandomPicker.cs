namespace Suite.Picker.Scheduling.Pickers;

/// <summary>
/// Draws endpoints with probability proportional to their total score (uniformly when all are zero);
/// fallbacks are further draws without replacement.
/// </summary>
public sealed class WeightedRandomPicker(IRandomSource random) : IEndpointPicker
{
    public const string TypeName = "weighted-random";

    public string Name => TypeName;

    public int Pick(ReadOnlySpan<double> totals, Span<int> chosen)
    {
        var wanted = Math.Min(chosen.Length, totals.Length);
        for (var n = 0; n < wanted; n++)
        {
            chosen[n] = Draw(totals, chosen[..n]);
        }

        return wanted;
    }

    private int Draw(ReadOnlySpan<double> totals, ReadOnlySpan<int> already)
    {
        var sum = 0.0;
        var remaining = 0;
        for (var i = 0; i < totals.Length; i++)
        {
            if (!already.Contains(i))
            {
                sum += Math.Max(totals[i], 0.0);
                remaining++;
            }
        }

        if (sum <= 0.0)
        {
            return NthNotChosen(random.NextInt(remaining), totals.Length, already);
        }

        var target = random.NextDouble() * sum;
        var last = -1;
        for (var i = 0; i < totals.Length; i++)
        {
            if (already.Contains(i))
            {
                continue;
            }

            last = i;
            target -= Math.Max(totals[i], 0.0);
            if (target < 0.0)
            {
                return i;
            }
        }

        return last;
    }

    internal static int NthNotChosen(int n, int count, ReadOnlySpan<int> already)
    {
        for (var i = 0; i < count; i++)
        {
            if (already.Contains(i))
            {
                continue;
            }

            if (n-- == 0)
            {
                return i;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(n));
    }
}
