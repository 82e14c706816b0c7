using Suite.Contracts.Catalog;
using Suite.Picker.Catalog;
using static Suite.Picker.UnitTests.Catalog.Catalogs;

namespace Suite.Picker.UnitTests.Catalog;

public sealed class RequestClassificationTests
{
    private static readonly CatalogIndex Catalog = Index(
        models: [Model("sql-assistant", Criticality.Critical, ("sql-lora-v1", 1))],
        rewrites: [Rewrite("gpt-4o", ("llama-3.1-70b", 1))],
        objectives: [new CatalogObjective("interactive", 10), new CatalogObjective("batch", -1)]);

    [Fact]
    public void Classify_KnownObjective_ItsPriority()
    {
        var classification = RequestClassification.Classify("sql-assistant", "batch", "tenant-a", Catalog, new ScriptedRandom());

        Assert.Equal(
            new RequestClassification("sql-lora-v1", Criticality.Critical, Known: true, -1, "batch", ObjectiveKnown: true, "tenant-a"),
            classification);
    }

    [Fact]
    public void Classify_UnknownObjective_PriorityZeroAndRecordedAsUnknown()
    {
        var classification = RequestClassification.Classify("gpt-4o", "premium", "default-flow", Catalog, new ScriptedRandom());

        Assert.Equal(
            new RequestClassification("llama-3.1-70b", Criticality.Standard, Known: true, 0, "premium", ObjectiveKnown: false, "default-flow"),
            classification);
    }

    [Fact]
    public void Classify_NoObjective_PriorityZero()
    {
        var classification = RequestClassification.Classify("sql-assistant", null, "default-flow", Catalog, new ScriptedRandom());

        Assert.Equal(0, classification.Priority);
        Assert.Null(classification.Objective);
        Assert.False(classification.ObjectiveKnown);
    }

    [Fact]
    public void Classify_NoCatalogYet_ObjectiveUnknownAtPriorityZeroAndTheModelPassesThrough()
    {
        var classification = RequestClassification.Classify("sql-assistant", "batch", "tenant-a", catalog: null, new ScriptedRandom());

        Assert.Equal(
            new RequestClassification("sql-assistant", Criticality.Standard, Known: true, 0, "batch", ObjectiveKnown: false, "tenant-a"),
            classification);
    }

    [Fact]
    public void Classify_NoModel_StandardKnownWithTheObjectivesPriorityAndTheFlow()
    {
        var classification = RequestClassification.Classify(null, "interactive", "tenant-b", Catalog, new ScriptedRandom());

        Assert.Equal(
            new RequestClassification(null, Criticality.Standard, Known: true, 10, "interactive", ObjectiveKnown: true, "tenant-b"),
            classification);
    }

    [Fact]
    public void Classify_UnknownModel_NotKnownAndUnchanged()
    {
        var classification = RequestClassification.Classify("mistral-large", null, "default-flow", Catalog, new ScriptedRandom());

        Assert.Equal(("mistral-large", false), (classification.TargetModel, classification.Known));
    }
}
