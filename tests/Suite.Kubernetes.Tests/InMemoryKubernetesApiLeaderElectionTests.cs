using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using k8s.Models;
using Suite.Kubernetes.Tests.Fakes;
using Suite.Kubernetes.Tests.Support;

namespace Suite.Kubernetes.Tests;

/// <summary>KubernetesClient's own <see cref="LeaderElector"/> and <see cref="LeaseLock"/> against the in-memory API server.</summary>
public sealed class InMemoryKubernetesApiLeaderElectionTests
{
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(1);

    /// <summary>Renewals are at least a retry period (0.1 s) apart, so twelve span more than the 1 s lease.</summary>
    private const int RenewalsPastOneLease = 12;

    [Fact]
    public async Task TwoElectors_ExactlyOneLeads_AndTheOtherTakesOverOnceTheLeaderStopsAndItsLeaseExpires()
    {
        await using var server = await InMemoryKubernetesApi.StartAsync();
        await using var a = new Elector(server, "a");
        await using var b = new Elector(server, "b");

        await Wait.UntilAsync(() => a.IsLeading || b.IsLeading, "a leader");
        var (leader, follower) = a.IsLeading ? (a, b) : (b, a);

        // Renewals for longer than a lease: the follower must keep waiting all that time.
        await Wait.UntilAsync(() => RenewalsBy(server, leader) >= RenewalsPastOneLease, "the leader to renew past one lease duration");
        var whileHeld = (LeaderLeads: leader.IsLeading, FollowerLeads: follower.IsLeading, Observed: follower.ObservedLeader, Holder: Lease(server).Spec.HolderIdentity);
        await leader.StopAsync();
        await Wait.UntilAsync(() => follower.IsLeading, "the follower to take over");
        var lease = Lease(server);

        Assert.Equal((true, false, leader.Identity, leader.Identity), whileHeld);
        Assert.False(leader.IsLeading);
        Assert.Equal(follower.Identity, lease.Spec.HolderIdentity);
        Assert.Equal(1, lease.Spec.LeaseTransitions);
        Assert.Equal(1, lease.Spec.LeaseDurationSeconds);
        var accepted = server.Writes.Where(w => w.StatusCode is 200 or 201).ToList();
        Assert.Equal(("POST", leader.Token), (accepted[0].Method, accepted[0].Token)); // the leader created the lease
        var takeover = accepted.First(w => w.Token == follower.Token);
        Assert.Equal("PUT", takeover.Method);
        Assert.Contains($"\"holderIdentity\":\"{follower.Identity}\"", takeover.Body, StringComparison.Ordinal);
    }

    private static V1Lease Lease(InMemoryKubernetesApi server) => server.Get<V1Lease>("coordination.k8s.io", "v1", "leases", "default", "picker")!;

    private static int RenewalsBy(InMemoryKubernetesApi server, Elector elector) =>
        server.Writes.Count(w => w is { Method: "PUT", StatusCode: 200 } && w.Token == elector.Token);

    /// <summary>One candidate, with its own client and bearer token, trying to hold the lease <c>default/picker</c>.</summary>
    private sealed class Elector : IAsyncDisposable
    {
        private readonly k8s.Kubernetes _client;
        private readonly LeaderElector _elector;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _run;
        private volatile bool _leading;

        public Elector(InMemoryKubernetesApi server, string identity)
        {
            Identity = identity;
            Token = "token-" + identity;
            _client = server.CreateClient(Token);
            _elector = new LeaderElector(new LeaderElectionConfig(new LeaseLock(_client, "default", "picker", identity))
            {
                LeaseDuration = LeaseDuration,
                RenewDeadline = TimeSpan.FromMilliseconds(600),
                RetryPeriod = TimeSpan.FromMilliseconds(100),
            });
            _elector.OnStartedLeading += () => _leading = true;
            _elector.OnStoppedLeading += () => _leading = false;
            _run = Task.Run(() => _elector.RunAndTryToHoldLeadershipForeverAsync(_stop.Token));
        }

        public string Identity { get; }

        public string Token { get; }

        public bool IsLeading => _leading;

        public string? ObservedLeader => _elector.GetLeader();

        public async Task StopAsync()
        {
            await _stop.CancelAsync();
            try
            {
                await _run.WaitAsync(Wait.Timeout);
            }
            catch (OperationCanceledException)
            {
                // How the elector ends when cancelled.
            }
        }

        public async ValueTask DisposeAsync()
        {
            await StopAsync();
            _elector.Dispose();
            _client.Dispose();
            _stop.Dispose();
        }
    }
}
