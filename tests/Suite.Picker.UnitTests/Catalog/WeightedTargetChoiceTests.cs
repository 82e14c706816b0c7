using Suite.Contracts.Catalog;
using Suite.Picker.Catalog;
using Suite.Picker.Scheduling;

namespace Suite.Picker.UnitTests.Catalog;

public sealed class WeightedTargetChoiceTests
{
    [Fact]
    public void Choose_NoTargets_TheModelsOwnName()
    {
        var model = new CatalogModel("llama-3.1-8b", Criticality.Standard, []);

        Assert.Equal("llama-3.1-8b", WeightedTargetChoice.Choose(model, new ScriptedRandom()));
    }

    [Fact]
    public void Choose_TargetListEmpty_TheNameGivenForThatCase()
    {
        Assert.Equal("gpt-4o", WeightedTargetChoice.Choose([], "gpt-4o", new ScriptedRandom()));
    }

    [Fact]
    public void Choose_OneTarget_ItWithoutDrawing()
    {
        var random = new ScriptedRandom();

        Assert.Equal("llama-3.1-8b", WeightedTargetChoice.Choose([new CatalogTarget("llama-3.1-8b", 5)], "gpt-4o", random));
        Assert.Empty(random.IntBounds);
    }

    [Theory]
    [InlineData(0, "sql-lora-v1")]
    [InlineData(89, "sql-lora-v1")]
    [InlineData(90, "sql-lora-v2")]
    [InlineData(99, "sql-lora-v2")]
    public void Choose_RandomPointInTheWeights_TheTargetWhoseShareHoldsIt(int point, string expected)
    {
        var model = Canary(90, 10);

        Assert.Equal(expected, WeightedTargetChoice.Choose(model, new ScriptedRandom(ints: [point])));
    }

    [Fact]
    public void Choose_NinetyTen_OverTenThousandRequests_WithinOnePointFivePercent()
    {
        var model = Canary(90, 10);
        var random = new SeededRandomSource(20261123);

        var toV2 = 0;
        for (var i = 0; i < 10_000; i++)
        {
            if (WeightedTargetChoice.Choose(model, random) == "sql-lora-v2")
            {
                toV2++;
            }
        }

        Assert.InRange(toV2, 850, 1150);
    }

    [Fact]
    public void Choose_ZeroWeightTarget_NeverChosen()
    {
        var model = Canary(1, 0);
        var random = new SeededRandomSource(7);

        for (var i = 0; i < 1000; i++)
        {
            Assert.Equal("sql-lora-v1", WeightedTargetChoice.Choose(model, random));
        }
    }

    private static CatalogModel Canary(int v1, int v2) =>
        new("sql-lora", Criticality.Critical, [new CatalogTarget("sql-lora-v1", v1), new CatalogTarget("sql-lora-v2", v2)]);
}
