using Suite.Contracts.Catalog;
using Suite.Picker.Catalog;
using Suite.Picker.Scheduling;
using static Suite.Picker.UnitTests.Catalog.Catalogs;

namespace Suite.Picker.UnitTests.Catalog;

public sealed class ModelResolutionTests
{
    [Fact]
    public void Resolve_NoCatalogYet_PassesThroughKnownAtStandard()
    {
        var resolution = ModelResolution.Resolve("anything", catalog: null, new ScriptedRandom());

        Assert.Equal(new ModelResolution("anything", Criticality.Standard, Known: true), resolution);
    }

    [Fact]
    public void Resolve_InferenceModelAndRewritesForTheName_TheInferenceModelWinsWithItsCriticality()
    {
        var catalog = Index(
            models: [Model("sql-assistant", Criticality.Critical, ("sql-lora-v1", 1))],
            rewrites: [Rewrite("sql-assistant", ("rewritten", 1)), Rewrite(null, ("catch-all", 1))]);

        var resolution = ModelResolution.Resolve("sql-assistant", catalog, new ScriptedRandom());

        Assert.Equal(new ModelResolution("sql-lora-v1", Criticality.Critical, Known: true), resolution);
    }

    [Fact]
    public void Resolve_ExactRewriteAndCatchAll_TheExactRewriteWinsAtStandard()
    {
        var catalog = Index(
            models: [Model("other", Criticality.Critical, ("other-v1", 1))],
            rewrites: [Rewrite(null, ("catch-all", 1)), Rewrite("gpt-4o", ("llama-3.1-70b", 1))]);

        var resolution = ModelResolution.Resolve("gpt-4o", catalog, new ScriptedRandom());

        Assert.Equal(new ModelResolution("llama-3.1-70b", Criticality.Standard, Known: true), resolution);
    }

    [Fact]
    public void Resolve_OnlyTheCatchAllMatches_ItsTargetAtStandard()
    {
        var catalog = Index(
            models: [Model("other", Criticality.Critical, ("other-v1", 1))],
            rewrites: [Rewrite("gpt-4o", ("llama-3.1-70b", 1)), Rewrite(null, ("llama-3.1-8b", 1))]);

        var resolution = ModelResolution.Resolve("mistral-large", catalog, new ScriptedRandom());

        Assert.Equal(new ModelResolution("llama-3.1-8b", Criticality.Standard, Known: true), resolution);
    }

    [Fact]
    public void Resolve_NothingClaimsTheNameAndNoCatchAll_UnknownAndUnchanged()
    {
        var catalog = Index(
            models: [Model("other", Criticality.Critical, ("other-v1", 1))],
            rewrites: [Rewrite("gpt-4o", ("llama-3.1-70b", 1))]);

        var resolution = ModelResolution.Resolve("mistral-large", catalog, new ScriptedRandom());

        Assert.Equal(new ModelResolution("mistral-large", Criticality.Standard, Known: false), resolution);
    }

    [Fact]
    public void Resolve_RewriteWithoutTargets_KeepsTheRequestedNameKnown()
    {
        var catalog = Index(rewrites: [Rewrite(null)]);

        var resolution = ModelResolution.Resolve("mistral-large", catalog, new ScriptedRandom());

        Assert.Equal(new ModelResolution("mistral-large", Criticality.Standard, Known: true), resolution);
    }

    [Theory]
    [InlineData(0, "llama-3.1-70b")]
    [InlineData(89, "llama-3.1-70b")]
    [InlineData(90, "llama-3.1-8b")]
    [InlineData(99, "llama-3.1-8b")]
    public void Resolve_WeightedRewrite_TheTargetWhoseShareHoldsTheRandomPoint(int point, string expected)
    {
        var catalog = Index(rewrites: [Rewrite("gpt-4o", ("llama-3.1-70b", 90), ("llama-3.1-8b", 10))]);
        var random = new ScriptedRandom(ints: [point]);

        var resolution = ModelResolution.Resolve("gpt-4o", catalog, random);

        Assert.Equal(expected, resolution.TargetModel);
        Assert.Equal([100], random.IntBounds);
    }

    [Fact]
    public void Resolve_NinetyTenRewrite_OverTenThousandRequests_WithinOnePointFivePoints()
    {
        var catalog = Index(rewrites: [Rewrite(null, ("llama-3.1-70b", 90), ("llama-3.1-8b", 10))]);
        var random = new SeededRandomSource(20261123);

        var toSmall = 0;
        for (var i = 0; i < 10_000; i++)
        {
            if (ModelResolution.Resolve("gpt-4o", catalog, random).TargetModel == "llama-3.1-8b")
            {
                toSmall++;
            }
        }

        Assert.InRange(toSmall, 850, 1150);
    }
}
