using System.Globalization;
using System.Text;
using Suite.Contracts.Pools;

namespace Suite.Picker.Scheduling;

/// <summary>
/// Renders a decision for people: the pick, then the top candidates with their total and per-scorer scores, e.g.
/// <c>picked=10.0.0.2:8000 candidates=4; 10.0.0.2:8000 total=5.600 queue-depth=1.000 kv-cache=0.800 …</c>.
/// </summary>
internal static class DecisionExplanation
{
    public static string Format(
        SchedulingProfile profile,
        ReadOnlySpan<Candidate> candidates,
        ReadOnlySpan<double> totals,
        double[] scorerScores,
        EndpointSnapshot picked)
    {
        var text = new StringBuilder(128);
        text.Append(CultureInfo.InvariantCulture, $"picked={picked.Address} candidates={candidates.Length}");
        Span<int> top = stackalloc int[Math.Min(profile.ExplainCandidates, candidates.Length)];
        for (var n = 0; n < top.Length; n++)
        {
            top[n] = HighestNotListed(totals, top[..n]);
            var c = top[n];
            text.Append(CultureInfo.InvariantCulture, $"; {candidates[c].Endpoint.Address} total={totals[c]:F3}");
            for (var s = 0; s < profile.Scorers.Length; s++)
            {
                var score = scorerScores[(s * candidates.Length) + c];
                text.Append(CultureInfo.InvariantCulture, $" {profile.Scorers[s].Scorer.Name}={score:F3}");
            }
        }

        return text.ToString();
    }

    private static int HighestNotListed(ReadOnlySpan<double> totals, ReadOnlySpan<int> listed)
    {
        var best = -1;
        for (var i = 0; i < totals.Length; i++)
        {
            if (!listed.Contains(i) && (best < 0 || totals[i] > totals[best]))
            {
                best = i;
            }
        }

        return best;
    }
}
