using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Suite.Catalog.Resolution;
using Suite.Catalog.Tests.Support;

namespace Suite.Catalog.Tests.Kubernetes;

public sealed class LeaderElectionTests
{
    [Fact]
    public async Task LeaderStopsCleanly_GivesTheLeaseUpAtOnce()
    {
        await using var server = await Cluster.StartAsync();
        var leader = CatalogReplica.Start(server, "a");
        await Eventually.AssertAsync(() => leader.IsLeader, "the replica to lead");

        await leader.DisposeAsync();
        var lease = server.Get<V1Lease>("coordination.k8s.io", "v1", "leases", CatalogReplica.LeaseNamespace, "suite-catalog")!;

        Assert.Equal(string.Empty, lease.Spec.HolderIdentity);
    }

    [Fact]
    public async Task TwoReplicas_OnlyTheLeaderWritesStatusAndPublishes_BothServeReads_TheOtherTakesOverWhenItStops()
    {
        await using var server = await Cluster.StartAsync();
        Cluster.PutModel(server, "sql", "sql-assistant", "chat-pool", "2026-11-01T09:00:00Z");
        Cluster.PutModel(server, "sql-copy", "sql-assistant", "chat-pool", "2026-11-02T09:00:00Z");
        Cluster.PutModel(server, "lost", "orphan", "no-such-pool", "2026-11-02T09:00:00Z");
        await using var a = CatalogReplica.Start(server, "a");
        await using var b = CatalogReplica.Start(server, "b");

        await Eventually.AssertAsync(() => Cluster.StatusWrites(server).Count == 3, "the three models' status");
        var (leader, follower) = a.IsLeader ? (a, b) : (b, a);

        // The follower resolves on its own watches, which may list later than the leader's on a busy machine.
        await Eventually.AssertAsync(() => follower.Factory.Services.GetRequiredService<CatalogState>().Current is not null, "the follower's catalog");
        var firstWrites = Cluster.StatusWrites(server);
        var leaderListing = await leader.Factory.CreateClient().GetStringAsync(new Uri("/v1/models", UriKind.Relative));
        var followerListing = await follower.Factory.CreateClient().GetStringAsync(new Uri("/v1/models", UriKind.Relative));

        Assert.False(follower.IsLeader);
        Assert.All(firstWrites, write => Assert.Equal(leader.Token, write.Token));
        Assert.Equal(("True", "Accepted"), Cluster.Accepted(server, "sql"));
        Assert.Equal(("False", "ModelNameInUse"), Cluster.Accepted(server, "sql-copy"));
        Assert.Equal(("False", "PoolNotFound"), Cluster.Accepted(server, "lost"));
        Assert.Equal("sql-assistant", Assert.Single(Assert.Single(leader.Bus.Snapshots).Models).Name);
        Assert.Empty(follower.Bus.Snapshots);
        Assert.Equal(leaderListing, followerListing);
        Assert.Contains("\"id\":\"sql-assistant\"", followerListing, StringComparison.Ordinal);

        // The leader stops cleanly and gives the lease up; the follower leads, republishes and writes new status.
        await leader.DisposeAsync();
        await Eventually.AssertAsync(() => follower.IsLeader, "the follower to lead");
        Cluster.PutModel(server, "chat", "chat", "chat-pool", "2026-11-03T09:00:00Z");

        await Eventually.AssertAsync(() => Cluster.Accepted(server, "chat") is not null, "the new model's status");
        Assert.Equal((follower.Token, "chat"), Cluster.StatusWrites(server)[^1]);
        Assert.Equal(3, Cluster.StatusWrites(server).Count(w => w.Token == leader.Token)); // the old leader wrote nothing more
        await Eventually.AssertAsync(() => follower.Bus.Snapshots.Any(s => s.Models.Length == 2), "the new leader's snapshot with both models");
    }
}
