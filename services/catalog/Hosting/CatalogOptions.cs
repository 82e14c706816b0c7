using Microsoft.Extensions.Options;
using Suite.Kubernetes;

namespace Suite.Catalog.Hosting;

public enum CatalogSourceMode
{
    /// <summary>Watch the resources through the Kubernetes API and write their status conditions back.</summary>
    Kubernetes,

    /// <summary>Read the resources from a YAML manifests file, re-read when it changes; conditions are logged only.</summary>
    Static,
}

/// <summary>The catalog's settings (configuration section <c>Catalog</c>).</summary>
public sealed class CatalogOptions
{
    public const string Section = "Catalog";

    /// <summary>Where resources come from. Flag <c>--source</c>.</summary>
    public CatalogSourceMode Source { get; set; } = CatalogSourceMode.Kubernetes;

    /// <summary>The manifests file for <see cref="CatalogSourceMode.Static"/> (the file the metrics-collector reads). Flag <c>--manifests</c>.</summary>
    public string? ManifestsFile { get; set; }

    /// <summary>How often the manifests file is checked for changes.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Namespace to watch in Kubernetes mode; empty watches all namespaces (needs a ClusterRole). Flag <c>--namespace</c>.</summary>
    public string? Namespace { get; set; }

    /// <summary>Also watch legacy <c>inference.networking.x-k8s.io/v1alpha2</c> InferencePools.</summary>
    public bool WatchLegacyPools { get; set; } = true;

    /// <summary>
    /// Timing of the Kubernetes watches (section <c>Catalog:Watch</c>): watch timeout, watchdog, and the backoff
    /// between attempts while the API server fails. The defaults suit a real API server.
    /// </summary>
    public ResourceWatcherOptions Watch { get; set; } = new();

    /// <summary>
    /// How often a pool whose catalog could not be published is tried again when nothing else changes. Pools that were
    /// published are not sent again: pickers bootstrap from the state store.
    /// </summary>
    public TimeSpan RetryInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Port for the HTTP API (<c>/v1/models</c>, <c>/models/{name}</c>), health probes and the Dapr app channel. Flag <c>--http-port</c>.</summary>
    public int HttpPort { get; set; } = 9090;

    public LeaderElectionOptions LeaderElection { get; set; } = new();

    public static IDictionary<string, string> SwitchMappings { get; } = new Dictionary<string, string>
    {
        ["--source"] = $"{Section}:{nameof(Source)}",
        ["--manifests"] = $"{Section}:{nameof(ManifestsFile)}",
        ["--namespace"] = $"{Section}:{nameof(Namespace)}",
        ["--http-port"] = $"{Section}:{nameof(HttpPort)}",
    };
}

/// <summary>
/// Kubernetes leader election over a <c>coordination.k8s.io/v1</c> Lease (section <c>Catalog:LeaderElection</c>).
/// Only the leader publishes snapshots and writes status; every replica serves the HTTP API.
/// </summary>
public sealed class LeaderElectionOptions
{
    /// <summary>Off: this replica always leads (one replica only). Static mode never elects.</summary>
    public bool Enabled { get; set; } = true;

    public string LeaseName { get; set; } = "suite-catalog";

    /// <summary>The Lease's namespace; empty means the pod's own (<c>POD_NAMESPACE</c>, then the service account's), else <c>default</c>.</summary>
    public string? LeaseNamespace { get; set; }

    /// <summary>This replica's name in the Lease; empty means the pod name (<c>HOSTNAME</c>), else the machine name.</summary>
    public string? Identity { get; set; }

    /// <summary>How long a lease is honoured without renewal; a crashed leader is replaced after at most this.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the leader keeps trying to renew before it gives leadership up.</summary>
    public TimeSpan RenewDeadline { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Time between attempts to acquire or renew.</summary>
    public TimeSpan RetryPeriod { get; set; } = TimeSpan.FromSeconds(2);
}

internal sealed class CatalogOptionsValidator : IValidateOptions<CatalogOptions>
{
    public ValidateOptionsResult Validate(string? name, CatalogOptions options)
    {
        var failures = new List<string>();
        var key = CatalogOptions.Section;
        if (!Enum.IsDefined(options.Source))
        {
            failures.Add($"{key}:{nameof(options.Source)} must be Kubernetes or Static, not {options.Source}.");
        }

        if (options.Source == CatalogSourceMode.Static && string.IsNullOrWhiteSpace(options.ManifestsFile))
        {
            failures.Add($"{key}:{nameof(options.ManifestsFile)} (--manifests) is required when {key}:{nameof(options.Source)} is Static.");
        }

        if (options.PollInterval < TimeSpan.FromMilliseconds(10))
        {
            failures.Add($"{key}:{nameof(options.PollInterval)} must be at least 10 ms, not {options.PollInterval}.");
        }

        if (WatchProblem(options.Watch) is { } watchProblem)
        {
            failures.Add($"{key}:{nameof(options.Watch)}: {watchProblem}");
        }

        if (options.RetryInterval <= TimeSpan.Zero)
        {
            failures.Add($"{key}:{nameof(options.RetryInterval)} must be positive, not {options.RetryInterval}.");
        }

        if (options.HttpPort is < 0 or > 65535)
        {
            failures.Add($"{key}:{nameof(options.HttpPort)} must be a port number (0-65535), not {options.HttpPort}.");
        }

        var election = options.LeaderElection;
        var electionKey = $"{key}:{nameof(options.LeaderElection)}";
        if (string.IsNullOrWhiteSpace(election.LeaseName))
        {
            failures.Add($"{electionKey}:{nameof(election.LeaseName)} must not be empty.");
        }

        // The ordering client-go insists on: retries fit in the renew deadline, which fits in the lease.
        if (election.RetryPeriod <= TimeSpan.Zero || election.RenewDeadline <= election.RetryPeriod || election.LeaseDuration <= election.RenewDeadline)
        {
            failures.Add($"{electionKey} needs 0 < {nameof(election.RetryPeriod)} < {nameof(election.RenewDeadline)} < {nameof(election.LeaseDuration)}; "
                + $"got {election.RetryPeriod}, {election.RenewDeadline}, {election.LeaseDuration}.");
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
