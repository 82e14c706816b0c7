using System.Collections.Frozen;
using Microsoft.Extensions.Options;

namespace Suite.MetricsCollector.Scraping;

/// <summary>
/// Metric names per engine type over the built-in ones (<see cref="EngineMetricNames.Defaults"/>), keys
/// <c>Collector:Engines:{engine-type}:{Name}</c>. An engine type that is not built in must name its three
/// required families; its optional ones default to none.
/// </summary>
internal sealed class EngineMetricsOptions
{
    public const string SectionName = "Collector:Engines";

    public Dictionary<string, EngineMetricNamesOptions> Engines { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Configuration paths under the section that name no setting (a misspelt key), found while binding.</summary>
    public List<string> UnknownKeys { get; } = [];

    /// <summary>Fills <see cref="Engines"/> and <see cref="UnknownKeys"/> from the <c>Collector:Engines</c> section.</summary>
    public void Bind(IConfigurationSection section)
    {
        section.Bind(Engines);
        foreach (var engine in section.GetChildren())
        {
            foreach (var setting in engine.GetChildren())
            {
                if (!EngineMetricNamesOptions.SettingNames.Contains(setting.Key))
                {
                    UnknownKeys.Add(setting.Path);
                }
            }
        }
    }
}

/// <summary>
/// One engine's overrides, shaped like <see cref="EngineMetricNames"/>. Unset keeps the built-in value; an
/// empty string clears an optional one. Selectors are <c>family</c> or <c>family{label="value"}</c>.
/// </summary>
internal sealed class EngineMetricNamesOptions
{
    public static FrozenSet<string> SettingNames { get; } = new[]
    {
        nameof(Waiting), nameof(Running), nameof(KvCacheUsage), nameof(KvCacheUsageFallback),
        nameof(LoraInfo), nameof(CacheConfig), nameof(BlockSizeLabel), nameof(BlockCountLabel),
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    public string? Waiting { get; set; }

    public string? Running { get; set; }

    public string? KvCacheUsage { get; set; }

    public string? KvCacheUsageFallback { get; set; }

    public string? LoraInfo { get; set; }

    public string? CacheConfig { get; set; }

    public string? BlockSizeLabel { get; set; }

    public string? BlockCountLabel { get; set; }

    /// <summary>These overrides on top of <paramref name="defaults"/>; null when a problem (naming its key) was added.</summary>
    public EngineMetricNames? MergeOver(EngineMetricNames? defaults, string engineType, List<string> problems)
    {
        var merge = new Merge($"{EngineMetricsOptions.SectionName}:{engineType}:", problems);
        var waiting = merge.Required(nameof(Waiting), Waiting, defaults?.Waiting);
        var running = merge.Required(nameof(Running), Running, defaults?.Running);
        var kv = merge.Required(nameof(KvCacheUsage), KvCacheUsage, defaults?.KvCacheUsage);
        var kvFallback = merge.Optional(nameof(KvCacheUsageFallback), KvCacheUsageFallback, defaults?.KvCacheUsageFallback);
        var lora = merge.Family(nameof(LoraInfo), LoraInfo, defaults?.LoraInfo);
        var cacheFamily = merge.Family(nameof(CacheConfig), CacheConfig, defaults?.CacheConfig?.Family);
        CacheConfigNames? cache = null;
        if (cacheFamily is not null)
        {
            var blockSize = merge.Label(nameof(BlockSizeLabel), BlockSizeLabel, defaults?.CacheConfig?.BlockSizeLabel);
            var blockCount = merge.Label(nameof(BlockCountLabel), BlockCountLabel, defaults?.CacheConfig?.BlockCountLabel);
            cache = blockSize is null || blockCount is null ? null : new CacheConfigNames(cacheFamily, blockSize, blockCount);
        }

        return merge.Failed || waiting is null || running is null || kv is null
            ? null
            : new EngineMetricNames(waiting, running, kv, kvFallback, lora, cache);
    }

    private sealed class Merge(string keyPrefix, List<string> problems)
    {
        public bool Failed { get; private set; }

        public MetricSelector? Required(string name, string? text, MetricSelector? inherited)
        {
            if (text is null)
            {
                return inherited ?? Report<MetricSelector>(name, "must be set: the engine type has no built-in names");
            }

            return text.Length == 0 ? Report<MetricSelector>(name, "must not be empty") : Parse(name, text);
        }

        public MetricSelector? Optional(string name, string? text, MetricSelector? inherited) =>
            text is null ? inherited : text.Length == 0 ? null : Parse(name, text);

        public string? Family(string name, string? text, string? inherited)
        {
            if (string.IsNullOrEmpty(text))
            {
                return text is null ? inherited : null;
            }

            return MetricSelector.IsMetricName(text) ? text : Report<string>(name, $"'{text}' is not a valid Prometheus metric name");
        }

        public string? Label(string name, string? text, string? inherited)
        {
            if (string.IsNullOrEmpty(text))
            {
                return inherited ?? Report<string>(name, "must be set when CacheConfig is");
            }

            return MetricSelector.IsLabelName(text) ? text : Report<string>(name, $"'{text}' is not a valid Prometheus label name");
        }

        private MetricSelector? Parse(string name, string text) =>
            MetricSelector.TryParse(text, out var selector, out var problem) ? selector : Report<MetricSelector>(name, $"'{text}' {problem}");

        private T? Report<T>(string name, string problem)
            where T : class
        {
            problems.Add($"{keyPrefix}{name} {problem}");
            Failed = true;
            return null;
        }
    }
}

/// <summary>Stops start-up when <see cref="EngineMetricsOptions"/> would not make a catalog.</summary>
internal sealed class EngineMetricsOptionsValidator : IValidateOptions<EngineMetricsOptions>
{
    public ValidateOptionsResult Validate(string? name, EngineMetricsOptions options) =>
        EngineMetricsCatalog.TryCreate(options, out _, out var problems) ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
}
