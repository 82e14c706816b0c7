using System.Collections.Immutable;
using Suite.Picker.Scheduling.Pickers;
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

    /// <summary>The profile used when no configuration file is given; the README documents it.</summary>
    public static SchedulingProfile CreateDefault(IRandomSource random) => new(
        Filters: [],
        Scorers:
        [
            new WeightedScorer(new QueueDepthScorer(), 2),
            new WeightedScorer(new KvCacheUtilizationScorer(), 2),
            new WeightedScorer(new LoraAffinityScorer(), 1),
            new WeightedScorer(new InFlightLoadScorer(), 1),
        ],
        Picker: new MaxScorePicker(random),
        Destinations: 1,
        StaleAfter: DefaultStaleAfter,
        ExplainHeader: false,
        ExplainCandidates: 3);
}
