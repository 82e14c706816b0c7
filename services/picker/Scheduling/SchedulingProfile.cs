using System.Collections.Immutable;
using Suite.Contracts.Flow;
using Suite.Picker.Scheduling.Pickers;
using Suite.Picker.Scheduling.Prefix;
using Suite.Picker.Scheduling.Scorers;

namespace Suite.Picker.Scheduling;

/// <summary>A scorer and how much its opinion counts.</summary>
public sealed record WeightedScorer(IEndpointScorer Scorer, double Weight);

/// <summary>
/// How the scheduler decides: filters, then weighted scorers, then a picker. Immutable; a reload of the
/// configuration file swaps in a new profile.
/// </summary>
/// <param name="Destinations">How many endpoints to name: the primary plus fallbacks for the gateway to retry.</param>
/// <param name="StaleAfter">How old an endpoint's measurement may be before its figures are no longer trusted.</param>
/// <param name="ExplainHeader">Whether responses carry <c>x-picker-decision</c>.</param>
/// <param name="ExplainCandidates">How many top candidates an explanation lists.</param>
public sealed record SchedulingProfile(
    ImmutableArray<ICandidateFilter> Filters,
    ImmutableArray<WeightedScorer> Scorers,
    IEndpointPicker Picker,
    int Destinations,
    TimeSpan StaleAfter,
    bool ExplainHeader,
    int ExplainCandidates)
{
    public static readonly TimeSpan DefaultStaleAfter = TimeSpan.FromSeconds(2);

    /// <summary>The profile's prefix-cache scorer, whose index learns every decision; null when it scores no prefix.</summary>
    public PrefixCacheScorer? Prefix => FindPrefix(Scorers);

    /// <summary>The profile used when no configuration file is given; the README documents it.</summary>
    /// <param name="prefixIndex">The process's prefix-cache index; a private one when null (tests).</param>
    /// <param name="saturation">The pool's saturation thresholds, for the prefix scorer's load guard.</param>
    public static SchedulingProfile CreateDefault(
        IRandomSource random, PrefixCacheIndex? prefixIndex = null, SaturationThresholds? saturation = null) => new(
        Filters: [],
        Scorers:
        [
            new WeightedScorer(new QueueDepthScorer(), 2),
            new WeightedScorer(new OutstandingRequestsScorer(), 2),
            new WeightedScorer(new KvCacheUtilizationScorer(), 1),
            new WeightedScorer(new LoraAffinityScorer(), 3),
            new WeightedScorer(
                new PrefixCacheScorer(
                    prefixIndex ?? new PrefixCacheIndex(TimeProvider.System),
                    PrefixCacheSettings.Default,
                    saturation ?? SaturationThresholds.Default),
                DefaultPrefixWeight),
        ],
        Picker: new MaxScorePicker(random),
        Destinations: 1,
        StaleAfter: DefaultStaleAfter,
        ExplainHeader: false,
        ExplainCandidates: 3);

    /// <summary>The default profile's prefix-cache weight; the README's "Prefix-cache affinity" justifies it.</summary>
    public const double DefaultPrefixWeight = 6;

    private static PrefixCacheScorer? FindPrefix(ImmutableArray<WeightedScorer> scorers)
    {
        foreach (var weighted in scorers)
        {
            if (weighted.Scorer is PrefixCacheScorer prefix && weighted.Weight > 0)
            {
                return prefix;
            }
        }

        return null;
    }
}
