using Suite.Contracts.Flow;

namespace Suite.Picker.Scheduling.Prefix;

/// <summary>
/// Keeps cache affinity from piling work onto a busy endpoint. A candidate's load is its saturation as the queue and
/// the admission gate measure it, counting requests this picker sent since the last scrape as waiting:
/// <c>load = max((waiting + unseen) / queueThreshold, kvUse / kvThreshold)</c>. An affinity score is multiplied by the
/// candidate's headroom relative to the best headroom on offer, <c>(1 − load) / (1 − minLoad)</c>, clamped to [0, 1]:
/// the least loaded candidate keeps its full affinity, a saturated one (load ≥ 1) keeps none, and when every
/// candidate is saturated affinity decides nothing.
/// </summary>
public static class LoadGuard
{
    public static double Load(in Candidate candidate, SaturationThresholds thresholds)
    {
        var metrics = candidate.Metrics;
        var queue = (double)(metrics.WaitingRequests + candidate.UnseenInFlight) / thresholds.QueueDepth;
        return Math.Max(queue, metrics.KvCacheUsage / thresholds.KvCacheUsage);
    }

    /// <summary>Scales <paramref name="scores"/> in place by each candidate's relative headroom.</summary>
    public static void Apply(ReadOnlySpan<Candidate> candidates, Span<double> scores, SaturationThresholds thresholds)
    {
        var minLoad = double.MaxValue;
        foreach (ref readonly var candidate in candidates)
        {
            minLoad = Math.Min(minLoad, Load(candidate, thresholds));
        }

        for (var i = 0; i < candidates.Length; i++)
        {
            scores[i] *= Factor(Load(candidates[i], thresholds), minLoad);
        }
    }

    public static double Factor(double load, double minLoad) =>
        minLoad >= 1 ? 0 : Math.Clamp((1 - load) / (1 - minLoad), 0, 1);
}
