namespace Suite.MetricsCollector.Discovery;

/// <summary>Where the static (no-Kubernetes) discovery reads its pools and pods.</summary>
public sealed class StaticDiscoveryOptions
{
    public const string SectionName = "Discovery:Static";

    /// <summary>A YAML file of InferencePool and Pod manifests; see <c>deploy/examples/static-pools.yaml</c>.</summary>
    public string Path { get; set; } = "";

    /// <summary>How often the file's last-write time and length are checked for a change.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
}
