using System.Collections.Immutable;
using Suite.Contracts.Flow;
using Suite.Picker.Scheduling;
using Suite.Picker.Scheduling.Filters;
using Suite.Picker.Scheduling.Pickers;
using Suite.Picker.Scheduling.Prefix;
using Suite.Picker.Scheduling.Scorers;

namespace Suite.Picker.Configuration;

/// <summary>
/// Reads a scheduling profile from YAML (the <c>--config-file</c>). Keys: <c>destinations</c>, <c>staleAfter</c>,
/// <c>filters[]</c> {type, threshold}, <c>scorers[]</c> {type, weight, and for <c>prefix-cache</c> blockBytes,
/// maxBlocks, capacityBlocks, maxAge, loadGuard}, <c>picker</c> {type},
/// <c>explain</c> {header, candidates}. Keys left out take the defaults of <see cref="SchedulingProfile.CreateDefault"/>.
/// </summary>
public static class ProfileFile
{
    public const int MaxDestinations = 16;

    public const int MaxBlockBytes = 64 * 1024;
    public const int MaxPrefixBlocks = 4096;

    /// <param name="prefixIndex">The process's prefix-cache index, which survives reloads; a private one when null (tests).</param>
    /// <param name="saturation">The pool's saturation thresholds, for the prefix scorer's load guard; the defaults when null.</param>
    public static SchedulingProfile Parse(
        string file,
        string yaml,
        IRandomSource random,
        PrefixCacheIndex? prefixIndex = null,
        SaturationThresholds? saturation = null)
    {
        prefixIndex ??= new PrefixCacheIndex(TimeProvider.System);
        saturation ??= SaturationThresholds.Default;
        var defaults = SchedulingProfile.CreateDefault(random, prefixIndex, saturation);
        var root = YamlFields.Root(file, yaml);

        var destinations = root.Int("destinations", defaults.Destinations, 1, MaxDestinations);
        var staleAfter = root.Duration("staleAfter", defaults.StaleAfter, TimeSpan.FromMilliseconds(10), TimeSpan.FromHours(1));
        var filters = root.Mappings("filters") is { Count: > 0 } filterItems ? ParseFilters(filterItems) : defaults.Filters;
        var scorers = root.Mappings("scorers") is { Count: > 0 } scorerItems ? ParseScorers(scorerItems, prefixIndex, saturation) : defaults.Scorers;
        var picker = root.Mapping("picker") is { } pickerFields ? ParsePicker(pickerFields, random) : defaults.Picker;

        var explainHeader = defaults.ExplainHeader;
        var explainCandidates = defaults.ExplainCandidates;
        if (root.Mapping("explain") is { } explain)
        {
            explainHeader = explain.Bool("header", explainHeader);
            explainCandidates = explain.Int("candidates", explainCandidates, 1, 20);
            explain.RejectUnknownKeys();
        }

        root.RejectUnknownKeys();
        return new SchedulingProfile(filters, scorers, picker, destinations, staleAfter, explainHeader, explainCandidates);
    }

    private static ImmutableArray<ICandidateFilter> ParseFilters(List<YamlFields> items)
    {
        var filters = ImmutableArray.CreateBuilder<ICandidateFilter>(items.Count);
        foreach (var item in items)
        {
            var type = item.RequiredString("type");
            ICandidateFilter filter = type switch
            {
                LowQueueFilter.TypeName => new LowQueueFilter(item.Int("threshold", 5, 0, 1_000_000)),
                KvCacheBelowFilter.TypeName => new KvCacheBelowFilter(item.Double("threshold", 0.8, 0, 1)),
                _ => throw item.Problem("type", null, $"'{type}' is not a filter; known filters: {LowQueueFilter.TypeName}, {KvCacheBelowFilter.TypeName}."),
            };
            item.RejectUnknownKeys();
            filters.Add(filter);
        }

        return filters.MoveToImmutable();
    }

    private static ImmutableArray<WeightedScorer> ParseScorers(
        List<YamlFields> items, PrefixCacheIndex prefixIndex, SaturationThresholds saturation)
    {
        var scorers = ImmutableArray.CreateBuilder<WeightedScorer>(items.Count);
        foreach (var item in items)
        {
            var type = item.RequiredString("type");
            IEndpointScorer scorer = type switch
            {
                QueueDepthScorer.TypeName => new QueueDepthScorer(),
                KvCacheUtilizationScorer.TypeName => new KvCacheUtilizationScorer(),
                LoraAffinityScorer.TypeName => new LoraAffinityScorer(),
                RunningRequestsScorer.TypeName => new RunningRequestsScorer(),
                InFlightLoadScorer.TypeName => new InFlightLoadScorer(),
                OutstandingRequestsScorer.TypeName => new OutstandingRequestsScorer(),
                PrefixCacheScorer.TypeName => new PrefixCacheScorer(prefixIndex, ParsePrefixSettings(item), saturation),
                _ => throw item.Problem("type", null,
                    $"'{type}' is not a scorer; known scorers: {QueueDepthScorer.TypeName}, {KvCacheUtilizationScorer.TypeName}, {LoraAffinityScorer.TypeName}, {RunningRequestsScorer.TypeName}, {InFlightLoadScorer.TypeName}, {OutstandingRequestsScorer.TypeName}, {PrefixCacheScorer.TypeName}."),
            };
            foreach (var listed in scorers)
            {
                if (listed.Scorer.Name == type)
                {
                    throw item.Problem("type", null, $"'{type}' is listed twice; give it one weight.");
                }
            }

            var weight = item.Double("weight", 1, 0, 1_000_000);
            item.RejectUnknownKeys();
            scorers.Add(new WeightedScorer(scorer, weight));
        }

        return scorers.MoveToImmutable();
    }

    private static PrefixCacheSettings ParsePrefixSettings(YamlFields item)
    {
        var defaults = PrefixCacheSettings.Default;
        return new PrefixCacheSettings(
            BlockBytes: item.Int("blockBytes", defaults.BlockBytes, 1, MaxBlockBytes),
            MaxBlocks: item.Int("maxBlocks", defaults.MaxBlocks, 1, MaxPrefixBlocks),
            CapacityBlocks: item.Int("capacityBlocks", defaults.CapacityBlocks, 0, PrefixCacheIndex.MaxCapacityBlocks),
            MaxAge: item.Duration("maxAge", defaults.MaxAge, TimeSpan.FromSeconds(1), TimeSpan.FromHours(24)),
            LoadGuard: item.Bool("loadGuard", defaults.LoadGuard));
    }

    private static IEndpointPicker ParsePicker(YamlFields fields, IRandomSource random)
    {
        var type = fields.RequiredString("type");
        IEndpointPicker picker = type switch
        {
            MaxScorePicker.TypeName => new MaxScorePicker(random),
            WeightedRandomPicker.TypeName => new WeightedRandomPicker(random),
            RoundRobinPicker.TypeName => new RoundRobinPicker(),
            RandomPicker.TypeName => new RandomPicker(random),
            _ => throw fields.Problem("type", null,
                $"'{type}' is not a picker; known pickers: {MaxScorePicker.TypeName}, {WeightedRandomPicker.TypeName}, {RoundRobinPicker.TypeName}, {RandomPicker.TypeName}."),
        };
        fields.RejectUnknownKeys();
        return picker;
    }
}
