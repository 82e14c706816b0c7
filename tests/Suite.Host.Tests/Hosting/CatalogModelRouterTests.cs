using System.Collections.Immutable;
using Suite.Contracts.Catalog;
using Suite.Host.Gateway;

namespace Suite.Host.Tests.Hosting;

public sealed class CatalogModelRouterTests
{
    private readonly CatalogModelRouter _router = new(["chat-pool", "lora-pool"]);

    [Fact]
    public async Task PoolFor_ModelsAndExactRewrites_GoToThePoolWhoseCatalogListsThem()
    {
        await _router.HandleAsync(Catalog("chat-pool", 1, ["chat"], rewrites: ["gpt-4o-mini", null]), CancellationToken.None);
        await _router.HandleAsync(Catalog("lora-pool", 1, ["sql-assistant"]), CancellationToken.None);

        Assert.Equal(
            ["chat-pool", "chat-pool", "lora-pool", null, null],
            new[] { "chat", "gpt-4o-mini", "sql-assistant", "unknown", null }.Select(_router.PoolFor));
    }

    [Fact]
    public async Task PoolFor_NameInTwoPools_TheEarlierPoolOfTheFileWinsWhateverTheOrderOfSnapshots()
    {
        await _router.HandleAsync(Catalog("lora-pool", 1, ["shared"]), CancellationToken.None);
        await _router.HandleAsync(Catalog("chat-pool", 1, ["shared"]), CancellationToken.None);

        Assert.Equal("chat-pool", _router.PoolFor("shared"));
        Assert.Equal(["shared"], _router.ModelsOf("chat-pool"));
        Assert.Empty(_router.ModelsOf("lora-pool"));
    }

    [Fact]
    public async Task HandleAsync_OlderSnapshot_IsIgnored()
    {
        await _router.HandleAsync(Catalog("chat-pool", 2, ["new"]), CancellationToken.None);

        await _router.HandleAsync(Catalog("chat-pool", 1, ["old"]), CancellationToken.None);

        Assert.Equal(("chat-pool", null), (_router.PoolFor("new"), _router.PoolFor("old")));
    }

    [Fact]
    public async Task HandleAsync_NewerSnapshot_DropsNamesItNoLongerLists()
    {
        await _router.HandleAsync(Catalog("chat-pool", 1, ["chat", "retired"]), CancellationToken.None);

        await _router.HandleAsync(Catalog("chat-pool", 2, ["chat"]), CancellationToken.None);

        Assert.Null(_router.PoolFor("retired"));
    }

    private static CatalogSnapshot Catalog(string pool, long version, string[] models, string?[]? rewrites = null) => new(
        pool,
        version,
        DateTimeOffset.UnixEpoch,
        [.. models.Select(name => new CatalogModel(name, Criticality.Standard, []))],
        [],
        [.. (rewrites ?? []).Select(name => new CatalogRewrite(name, ImmutableArray.Create(new CatalogTarget("base", 1))))]);
}
