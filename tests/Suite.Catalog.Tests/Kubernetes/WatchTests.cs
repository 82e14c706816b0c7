using System.Net;
using Suite.Catalog.Tests.Support;

namespace Suite.Catalog.Tests.Kubernetes;

public sealed class WatchTests
{
    [Fact]
    public async Task ModelCrdDeletedAndRecreated_ItsModelsLeaveTheCatalogAndComeBack()
    {
        await using var server = await Cluster.StartAsync();
        Cluster.PutModel(server, "sql", "sql-assistant", "chat-pool", "2026-11-01T09:00:00Z");
        await using var catalog = CatalogReplica.Start(server, "solo", electLeader: false);
        await Eventually.AssertAsync(() => catalog.Bus.Snapshots.Count == 1, "the first catalog");

        Cluster.RemoveModels(server);
        await Eventually.AssertAsync(() => catalog.Bus.Snapshots.Count == 2, "the catalog without the deleted kind's models");
        Cluster.InstallModels(server);
        Cluster.PutModel(server, "chat", "chat", "chat-pool", "2026-11-23T09:00:00Z");
        await Eventually.AssertAsync(() => catalog.Bus.Snapshots.Count == 3, "the catalog with the re-created kind's model");

        var snapshots = catalog.Bus.Snapshots;
        Assert.Equal(["sql-assistant"], snapshots[0].Models.Select(m => m.Name));
        Assert.Empty(snapshots[1].Models);
        Assert.Equal(["chat"], snapshots[2].Models.Select(m => m.Name));
        Assert.True(snapshots[2].Version > snapshots[1].Version && snapshots[1].Version > snapshots[0].Version);
        await Eventually.AssertAsync(() => Cluster.Accepted(server, "chat") == ("True", "Accepted"), "the new object's status");
    }

    [Fact]
    public async Task RewriteCrdNotInstalled_TheCatalogStillResolvesAndPublishes()
    {
        await using var server = await Cluster.StartAsync(withRewrites: false);
        Cluster.PutModel(server, "sql", "sql-assistant", "chat-pool", "2026-11-01T09:00:00Z");

        await using var catalog = CatalogReplica.Start(server, "solo", electLeader: false);

        await Eventually.AssertAsync(() => catalog.Bus.Snapshots.Count == 1, "the catalog");
        var snapshot = catalog.Bus.Snapshots[0];
        Assert.Equal(("chat-pool", "sql-assistant"), (snapshot.PoolName, Assert.Single(snapshot.Models).Name));
        Assert.Empty(snapshot.Rewrites);
    }

    [Fact]
    public async Task ApiServerUnreachable_NotReady_TheApiAnswers503()
    {
        var server = await Cluster.StartAsync();
        await server.DisposeAsync(); // its port now refuses connections

        await using var catalog = CatalogReplica.Start(server, "solo", electLeader: false);
        var client = catalog.Factory.CreateClient();
        var models = await client.GetAsync(new Uri("/v1/models", UriKind.Relative));
        var ready = await client.GetAsync(new Uri("/readyz", UriKind.Relative));

        Assert.Equal((HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable), (models.StatusCode, ready.StatusCode));
        Assert.Equal(
            """{"error":{"message":"The catalog has not loaded its resources yet.","type":"service_unavailable","param":null,"code":"catalog_not_ready"}}""",
            await models.Content.ReadAsStringAsync());
        Assert.Empty(catalog.Bus.Snapshots);
    }
}
