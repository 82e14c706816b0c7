using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace Suite.MetricsCollector.Scraping;

/// <summary>What to read from one pod's page, and the scanner that reads it.</summary>
/// <param name="UnknownEngineType">The pod's engine type when it has no names and vLLM's stand in; null otherwise.</param>
internal readonly record struct ResolvedEngineMetrics(
    string EngineType, EngineMetricNames Names, PrometheusTextScanner Scanner, string? UnknownEngineType)
{
    public bool IsFallback => UnknownEngineType is not null;

    /// <summary>Worth one log line per engine type: the pod's numbers may all read as missing.</summary>
    public string? FallbackReason => UnknownEngineType is null
        ? null
        : $"engine type '{UnknownEngineType}' has no metric names (built in or under {EngineMetricsOptions.SectionName}); reading it with {EngineMetricNames.DefaultEngineType}'s";
}

/// <summary>
/// The built-in metric names with the configured overrides merged in, and one scanner per engine type. Built once
/// at start-up; immutable, so scrapers share it without locks.
/// </summary>
internal sealed class EngineMetricsCatalog
{
    private readonly FrozenDictionary<string, ResolvedEngineMetrics> _engines;
    private readonly ResolvedEngineMetrics _default;

    private EngineMetricsCatalog(FrozenDictionary<string, ResolvedEngineMetrics> engines)
    {
        _engines = engines;
        _default = engines[EngineMetricNames.DefaultEngineType];
    }

    public static EngineMetricsCatalog Default { get; } = Create(new EngineMetricsOptions());

    public static bool TryCreate(
        EngineMetricsOptions options, [NotNullWhen(true)] out EngineMetricsCatalog? catalog, out IReadOnlyList<string> problems)
    {
        var names = new Dictionary<string, EngineMetricNames>(EngineMetricNames.Defaults, StringComparer.OrdinalIgnoreCase);
        var found = new List<string>();
        foreach (var key in options.UnknownKeys)
        {
            found.Add($"{key} is not a setting; use one of {string.Join(", ", EngineMetricNamesOptions.SettingNames.Order(StringComparer.Ordinal))}");
        }

        foreach (var (engineType, overrides) in options.Engines.OrderBy(e => e.Key, StringComparer.OrdinalIgnoreCase))
        {
            if (overrides.MergeOver(names.GetValueOrDefault(engineType), engineType, found) is { } merged)
            {
                names[engineType] = merged;
            }
        }

        problems = found;
        if (found.Count > 0)
        {
            catalog = null;
            return false;
        }

        catalog = new EngineMetricsCatalog(names.ToFrozenDictionary(
            e => e.Key,
            e => new ResolvedEngineMetrics(e.Key, e.Value, new PrometheusTextScanner(e.Value), null),
            StringComparer.OrdinalIgnoreCase));
        return true;
    }

    /// <summary>Like <see cref="TryCreate"/> for options already validated; throws with every problem otherwise.</summary>
    public static EngineMetricsCatalog Create(EngineMetricsOptions options) =>
        TryCreate(options, out var catalog, out var problems)
            ? catalog
            : throw new InvalidOperationException("Invalid engine metric names: " + string.Join("; ", problems));

    /// <summary>
    /// The names for a pod's engine-type label: vLLM's when the label is absent, and vLLM's flagged as a
    /// fallback when the type is unknown.
    /// </summary>
    public ResolvedEngineMetrics Resolve(string? engineType)
    {
        if (string.IsNullOrEmpty(engineType))
        {
            return _default;
        }

        return _engines.TryGetValue(engineType, out var resolved) ? resolved : _default with { UnknownEngineType = engineType };
    }
}
