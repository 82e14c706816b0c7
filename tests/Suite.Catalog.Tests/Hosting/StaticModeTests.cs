using Suite.Catalog.Tests.Support;
using Suite.Contracts.Catalog;
using Suite.Contracts.Messaging;

namespace Suite.Catalog.Tests.Hosting;

public sealed class StaticModeTests
{
    private static readonly string Initial = Manifests.Join(
        Manifests.Pools,
        Manifests.Model("sql", "sql-assistant", "chat-pool", "2026-11-01T09:00:00Z", ("sql-lora-v1", 90), ("sql-lora-v2", 10)),
        Manifests.Objective,
        Manifests.Rewrites);

    [Fact]
    public async Task Start_EveryPoolPublishedOnTheCatalogTopicAndSaved()
    {
        await using var host = StaticCatalogHost.Start(Initial);

        await Eventually.AssertAsync(() => host.Bus.Snapshots.Count == 2, "both pools' catalogs");

        Assert.Equal([SuiteTopics.Catalog, SuiteTopics.Catalog], host.Bus.Topics);
        var chat = host.Bus.Snapshots.Single(s => s.PoolName == "chat-pool");
        var model = Assert.Single(chat.Models);
        Assert.Equal(("sql-assistant", Criticality.Critical), (model.Name, model.Criticality));
        Assert.Equal([new CatalogTarget("sql-lora-v1", 90), new CatalogTarget("sql-lora-v2", 10)], model.Targets.ToArray());
        Assert.Equal([new CatalogObjective("batch", -1)], chat.Objectives.ToArray());
        Assert.Equal(["gpt-4o-mini", null], chat.Rewrites.Select(r => r.Model));
        Assert.Empty(host.Bus.Snapshots.Single(s => s.PoolName == "batch-pool").Models);
        var saved = await host.Store.GetAsync<CatalogSnapshot>(StateKeys.Catalog("chat-pool"), CancellationToken.None);
        Assert.Same(chat, saved);
    }

    [Fact]
    public async Task FileEdited_OnlyTheChangedPoolPublishedAgain_WithAHigherVersion()
    {
        await using var host = StaticCatalogHost.Start(Initial);
        await Eventually.AssertAsync(() => host.Bus.Snapshots.Count == 2, "both pools' catalogs");
        var first = host.Bus.Snapshots.Single(s => s.PoolName == "chat-pool");

        host.Rewrite(Initial.Replace("weight: 90", "weight: 50", StringComparison.Ordinal));
        host.Poll();

        await Eventually.AssertAsync(() => host.Bus.Snapshots.Count == 3, "the edited pool's catalog");
        var edited = host.Bus.Snapshots[2];
        Assert.Equal("chat-pool", edited.PoolName);
        Assert.True(edited.Version > first.Version, $"version {edited.Version} should be above {first.Version}");
        Assert.Equal(50, edited.Models[0].Targets[0].Weight);
    }

    [Fact]
    public async Task BadEdit_PreviousCatalogStands_NothingPublished_ThenAGoodEditIs()
    {
        await using var host = StaticCatalogHost.Start(Initial);
        await Eventually.AssertAsync(() => host.Bus.Snapshots.Count == 2, "both pools' catalogs");

        host.Rewrite(Initial.Replace("sql-assistant", "sql-broken", StringComparison.Ordinal) + "\n---\nkind: [unclosed\n");
        host.Poll();
        var models = await host.Client.GetStringAsync(new Uri("/pools/chat-pool/v1/models", UriKind.Relative));
        host.Rewrite(Initial.Replace("sql-lora-v2", "sql-lora-v3", StringComparison.Ordinal));
        host.Poll();

        // Had the bad edit been taken, its catalog (sql-broken) would have been published before the fixed one.
        await Eventually.AssertAsync(() => host.Bus.Snapshots.Count == 3, "the fixed file's catalog");
        Assert.Contains("\"id\":\"sql-assistant\"", models, StringComparison.Ordinal);
        Assert.Equal(("sql-assistant", "sql-lora-v3"), (host.Bus.Snapshots[2].Models[0].Name, host.Bus.Snapshots[2].Models[0].Targets[1].Name));
    }
}
