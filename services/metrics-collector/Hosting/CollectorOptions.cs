using Microsoft.Extensions.Options;
using Suite.Kubernetes;

namespace Suite.MetricsCollector.Hosting;

public enum DiscoveryMode
{
    /// <summary>Watch InferencePools and Pods through the Kubernetes API (in-cluster or kubeconfig credentials).</summary>
    Kubernetes,

    /// <summary>Read InferencePools and Pods from a YAML manifests file, re-read when it changes.</summary>
    Static,
}

/// <summary>The collector's settings (configuration section <c>Collector</c>).</summary>
public sealed class CollectorOptions
{
    public const string Section = "Collector";

    public DiscoveryMode Discovery { get; set; } = DiscoveryMode.Kubernetes;

    /// <summary>The manifests file for <see cref="DiscoveryMode.Static"/>. Flag <c>--manifests</c>.</summary>
    public string? ManifestsFile { get; set; }

    /// <summary>Namespace to watch in Kubernetes mode; empty watches all namespaces (needs a ClusterRole).</summary>
    public string? Namespace { get; set; }

    /// <summary>
    /// Also watch legacy <c>inference.networking.x-k8s.io/v1alpha2</c> InferencePools. Readiness waits for every
    /// watch's first list, so turn this off where that CRD is not installed.
    /// </summary>
    public bool WatchLegacyPools { get; set; } = true;

    /// <summary>
    /// Timing of the Kubernetes watches (section <c>Collector:Watch</c>): watch timeout, watchdog, and the backoff
    /// between attempts while the API server fails. The defaults suit a real API server.
    /// </summary>
    public ResourceWatcherOptions Watch { get; set; } = new();

    /// <summary>Time between scrape rounds; each round publishes one snapshot per pool.</summary>
    public TimeSpan ScrapeInterval { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Longest one scrape may take. A round waits for its scrapes at most one interval; a slower scrape keeps
    /// running (its endpoint is skipped by later rounds) until it answers or this passes, then counts as failed.
    /// </summary>
    public TimeSpan ScrapeTimeout { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Largest <c>/metrics</c> page read; a larger one is a failed scrape.</summary>
    public int MaxMetricsBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>How often a pool's latest snapshot is written to the state store (events go out every round).</summary>
    public TimeSpan StateSaveInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Time-to-live of a stored snapshot: a picker starting later than this after the collector stopped starts cold.</summary>
    public TimeSpan SnapshotTimeToLive { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Port for health probes and Prometheus metrics. Flag <c>--http-port</c>.</summary>
    public int HttpPort { get; set; } = 9090;

    public static IDictionary<string, string> SwitchMappings { get; } = new Dictionary<string, string>
    {
        ["--manifests"] = $"{Section}:{nameof(ManifestsFile)}",
        ["--http-port"] = $"{Section}:{nameof(HttpPort)}",
        ["--discovery"] = $"{Section}:{nameof(Discovery)}",
        ["--namespace"] = $"{Section}:{nameof(Namespace)}",
    };
}

internal sealed class CollectorOptionsValidator : IValidateOptions<CollectorOptions>
{
    public ValidateOptionsResult Validate(string? name, CollectorOptions options)
    {
        var failures = new List<string>();
        var key = CollectorOptions.Section;
        if (!Enum.IsDefined(options.Discovery))
        {
            failures.Add($"{key}:{nameof(options.Discovery)} must be Kubernetes or Static, not {options.Discovery}.");
        }

        if (options.Discovery == DiscoveryMode.Static && string.IsNullOrWhiteSpace(options.ManifestsFile))
        {
            failures.Add($"{key}:{nameof(options.ManifestsFile)} (--manifests) is required when {key}:{nameof(options.Discovery)} is Static.");
        }

        if (WatchProblem(options.Watch) is { } watchProblem)
        {
            failures.Add($"{key}:{nameof(options.Watch)}: {watchProblem}");
        }

        if (options.ScrapeInterval < TimeSpan.FromMilliseconds(10) || options.ScrapeInterval > TimeSpan.FromMinutes(1))
        {
            failures.Add($"{key}:{nameof(options.ScrapeInterval)} must be between 00:00:00.010 and 00:01:00, not {options.ScrapeInterval}.");
        }

        if (options.ScrapeTimeout < TimeSpan.FromMilliseconds(10) || options.ScrapeTimeout > TimeSpan.FromMinutes(1))
        {
            failures.Add($"{key}:{nameof(options.ScrapeTimeout)} must be between 00:00:00.010 and 00:01:00, not {options.ScrapeTimeout}.");
        }

        if (options.MaxMetricsBytes is < 4096 or > 256 * 1024 * 1024)
        {
            failures.Add($"{key}:{nameof(options.MaxMetricsBytes)} must be between 4096 and 268435456, not {options.MaxMetricsBytes}.");
        }

        if (options.StateSaveInterval <= TimeSpan.Zero)
        {
            failures.Add($"{key}:{nameof(options.StateSaveInterval)} must be positive, not {options.StateSaveInterval}.");
        }

        if (options.SnapshotTimeToLive < TimeSpan.FromSeconds(1))
        {
            failures.Add($"{key}:{nameof(options.SnapshotTimeToLive)} must be at least one second, not {options.SnapshotTimeToLive}.");
        }

        if (options.HttpPort is < 1 or > 65535)
        {
            failures.Add($"{key}:{nameof(options.HttpPort)} must be a port number (1-65535), not {options.HttpPort}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string? WatchProblem(ResourceWatcherOptions watch)
    {
        try
        {
            watch.Validate();
            return null;
        }
        catch (ArgumentOutOfRangeException e)
        {
            return e.Message.ReplaceLineEndings(" ");
        }
    }
}
