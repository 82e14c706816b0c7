using System.Text.Json;
using Suite.Contracts.Catalog;
using Suite.Contracts.Serialization;
using Suite.Picker.Catalog;
using static Suite.Picker.UnitTests.Catalog.Catalogs;

namespace Suite.Picker.UnitTests.Catalog;

public sealed class CatalogIndexTests
{
    [Fact]
    public void New_SnapshotWithDefaultRewritesAndObjectives_ReadsThemAsEmpty()
    {
        var index = new CatalogIndex(WithoutLists([Model("sql-assistant", Criticality.Critical)]));

        Assert.Null(index.FindRewrite("sql-assistant"));
        Assert.Null(index.CatchAll);
        Assert.Null(index.FindObjective("batch"));
        Assert.Equal(Criticality.Critical, index.FindModel("sql-assistant")!.Criticality);
    }

    [Fact]
    public void New_SnapshotFromJsonWrittenBeforeRewrites_ResolvesWithoutThem()
    {
        const string json = """
            {"poolName":"chat-pool","version":4,"takenAt":"2025-06-01T12:00:00+00:00",
             "models":[{"name":"sql-assistant","criticality":"Critical","targets":[]}],"objectives":[{"name":"batch","priority":-1}]}
            """;
        var snapshot = JsonSerializer.Deserialize(json, ContractsJsonContext.Default.CatalogSnapshot)!;

        var index = new CatalogIndex(snapshot);

        Assert.True(snapshot.Rewrites.IsDefault);
        Assert.Null(index.CatchAll);
        Assert.Equal(-1, index.FindObjective("batch")!.Priority);
        Assert.False(ModelResolution.Resolve("gpt-4o", index, new ScriptedRandom()).Known);
    }

    [Fact]
    public void FindRewrite_ExactAndCatchAll_TheExactOneByNameAndTheCatchAllApart()
    {
        var exact = Rewrite("gpt-4o", ("llama-3.1-70b", 1));
        var catchAll = Rewrite(null, ("llama-3.1-8b", 1));

        var index = Index(rewrites: [exact, catchAll]);

        Assert.Same(exact, index.FindRewrite("gpt-4o"));
        Assert.Null(index.FindRewrite("gpt-4o-mini"));
        Assert.Same(catchAll, index.CatchAll);
    }

    [Fact]
    public void New_TwoEntriesForOneName_TheFirstWins()
    {
        var first = new CatalogObjective("batch", -1);

        var index = Index(
            rewrites: [Rewrite(null, ("a", 1)), Rewrite(null, ("b", 1)), Rewrite("x", ("c", 1)), Rewrite("x", ("d", 1))],
            objectives: [first, new CatalogObjective("batch", 5)]);

        Assert.Same(first, index.FindObjective("batch"));
        Assert.Equal("a", index.CatchAll!.Targets[0].Name);
        Assert.Equal("c", index.FindRewrite("x")!.Targets[0].Name);
    }

    [Fact]
    public void FindModel_NameDiffersOnlyInCase_NotFound()
    {
        var index = Index(models: [Model("sql-assistant", Criticality.Standard)]);

        Assert.Null(index.FindModel("SQL-Assistant"));
    }
}
