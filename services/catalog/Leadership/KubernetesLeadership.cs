using k8s;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using k8s.Models;
using Microsoft.Extensions.Options;
using Suite.Catalog.Hosting;

namespace Suite.Catalog.Leadership;

/// <summary>
/// Leader election over a Lease with KubernetesClient's <see cref="LeaderElector"/>. On a clean stop the leader
/// gives the Lease up (empty holder, 1 s duration, as client-go's ReleaseOnCancel does), so a rolling update hands
/// over at once instead of after a whole lease duration.
/// </summary>
internal sealed partial class KubernetesLeadership(IKubernetes client, IOptions<CatalogOptions> options, ILogger<KubernetesLeadership> logger)
    : BackgroundService, ICatalogLeadership
{
    private const string ServiceAccountNamespaceFile = "/var/run/secrets/kubernetes.io/serviceaccount/namespace";

    private readonly LeaderElectionOptions _settings = options.Value.LeaderElection;
    private volatile bool _isLeader;

    public bool IsLeader => _isLeader;

    public event Action<bool>? LeadershipChanged;

    public string Identity { get; } = NonEmpty(options.Value.LeaderElection.Identity)
        ?? NonEmpty(Environment.GetEnvironmentVariable("HOSTNAME"))
        ?? Environment.MachineName;

    public string LeaseNamespace { get; } = NonEmpty(options.Value.LeaderElection.LeaseNamespace)
        ?? NonEmpty(Environment.GetEnvironmentVariable("POD_NAMESPACE"))
        ?? (File.Exists(ServiceAccountNamespaceFile) ? NonEmpty(File.ReadAllText(ServiceAccountNamespaceFile).Trim()) : null)
        ?? "default";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var config = new LeaderElectionConfig(new LeaseLock(client, LeaseNamespace, _settings.LeaseName, Identity))
        {
            LeaseDuration = _settings.LeaseDuration,
            RenewDeadline = _settings.RenewDeadline,
            RetryPeriod = _settings.RetryPeriod,
        };
        using var elector = new LeaderElector(config);
        var leadingAtStop = false;
        elector.OnStartedLeading += () => SetLeader(true);
        elector.OnStoppedLeading += () =>
        {
            // The elector reports a stop on cancellation too, while the lease is still ours: it is released below.
            leadingAtStop |= stoppingToken.IsCancellationRequested && _isLeader;
            SetLeader(false);
        };
        elector.OnNewLeader += leader => LogNewLeader(LeaseNamespace, _settings.LeaseName, leader);
        elector.OnError += e => LogElectionError(e.Message);
        LogCandidate(Identity, LeaseNamespace, _settings.LeaseName);
        try
        {
            await elector.RunAndTryToHoldLeadershipForeverAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        if (leadingAtStop || _isLeader)
        {
            SetLeader(false);
            await ReleaseAsync();
        }
    }

    private void SetLeader(bool leading)
    {
        if (_isLeader == leading)
        {
            return;
        }

        _isLeader = leading;
        LogLeadership(Identity, leading ? "became the leader: it publishes snapshots and writes status" : "is no longer the leader");
        LeadershipChanged?.Invoke(leading);
    }

    private async Task ReleaseAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(_settings.RenewDeadline);
            var lease = await client.CoordinationV1.ReadNamespacedLeaseAsync(_settings.LeaseName, LeaseNamespace, cancellationToken: timeout.Token);
            if (lease.Spec?.HolderIdentity != Identity)
            {
                return;
            }

            // Empty, not null: KubernetesClient's elector reads a null holder as "no Lease" and tries to create one.
            lease.Spec.HolderIdentity = string.Empty;
            lease.Spec.LeaseDurationSeconds = 1;
            lease.Spec.RenewTime = DateTime.UtcNow;
            await client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, _settings.LeaseName, LeaseNamespace, cancellationToken: timeout.Token);
            LogReleased(LeaseNamespace, _settings.LeaseName);
        }
        catch (Exception e)
        {
            // The lease then simply expires: the next leader waits one lease duration.
            LogReleaseFailed(LeaseNamespace, _settings.LeaseName, e.Message);
        }
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    [LoggerMessage(1, LogLevel.Information, "Catalog replica {Identity} stands for leadership on Lease {Namespace}/{Lease}")]
    private partial void LogCandidate(string identity, string @namespace, string lease);

    [LoggerMessage(2, LogLevel.Information, "Catalog replica {Identity} {Change}")]
    private partial void LogLeadership(string identity, string change);

    [LoggerMessage(3, LogLevel.Information, "Lease {Namespace}/{Lease} is held by {Leader}")]
    private partial void LogNewLeader(string @namespace, string lease, string leader);

    [LoggerMessage(4, LogLevel.Warning, "Leader election failed an attempt; it keeps trying: {Problem}")]
    private partial void LogElectionError(string problem);

    [LoggerMessage(5, LogLevel.Information, "Released Lease {Namespace}/{Lease} for the next leader")]
    private partial void LogReleased(string @namespace, string lease);

    [LoggerMessage(6, LogLevel.Warning, "Could not release Lease {Namespace}/{Lease}; it expires on its own: {Problem}")]
    private partial void LogReleaseFailed(string @namespace, string lease, string problem);
}
