using Suite.Contracts.Flow;

namespace Suite.Picker.Scheduling.Prefix;

/// <summary>
/// Keeps cache affinity from piling work onto a busy endpoint. A candidate's load is its queue as the admission gate
/// measures it, counting requests this picker sent since the last scrape as waiting:
/// <c>load = (waiting + unseen) / queueThreshold</c>. Affinity keeps its full value up to <see cref="FullAffinityLoad"/>,
/// then falls linearly to none at saturation (load 1); when every candidate is saturated affinity decides nothing.
/// KV use is left out on purpose: with shared prefixes a pod holding them runs with a full cache, and a cache hit
/// adds little to it, while sending the request elsewhere recomputes the whole prefix (measured in
/// bench/results/routing-quality-guard.md).
/// </summary>
public static class LoadGuard
{
    /// <summary>Up to this share of the saturation queue depth a cache hit is worth its full score.</summary>
    public const double FullAffinityLoad = 0.8;

    public static double Load(in Candidate candidate, SaturationThresholds thresholds) =>
        (double)(candidate.Metrics.WaitingRequests + candidate.UnseenInFlight) / thresholds.QueueDepth;

    /// <summary>Scales <paramref name="scores"/> in place by each candidate's headroom.</summary>
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
        minLoad >= 1 ? 0 : Math.Clamp((1 - load) / (1 - FullAffinityLoad), 0, 1);
}
