using Suite.Picker.Scheduling.Scorers;
using static Suite.Picker.UnitTests.Build;

namespace Suite.Picker.UnitTests.Scheduling.Scorers;

public sealed class LoraAffinityScorerTests
{
    private const string Adapter = "sql-lora";

    [Fact]
    public void Score_ModelIsTheBaseModel_GivesOne()
    {
        var candidates = Candidates(Endpoint(A, baseModel: Adapter));

        var scores = Scores(new LoraAffinityScorer(), candidates, Adapter);

        Assert.Equal([1.0], scores);
    }

    [Fact]
    public void Score_AdapterActive_GivesOne()
    {
        var candidates = Candidates(Endpoint(A, baseModel: "llama", activeAdapters: ["chat-lora", Adapter], maxLora: 2));

        var scores = Scores(new LoraAffinityScorer(), candidates, Adapter);

        Assert.Equal([1.0], scores);
    }

    [Fact]
    public void Score_FreeSlotForTheAdapter_GivesPointEight()
    {
        var candidates = Candidates(
            Endpoint(A, baseModel: "llama", activeAdapters: ["chat-lora"], waitingAdapters: ["code-lora"], maxLora: 3));

        var scores = Scores(new LoraAffinityScorer(), candidates, Adapter);

        Assert.Equal([0.8], scores);
    }

    [Fact]
    public void Score_AdapterWaitingAndNoFreeSlot_GivesPointSix()
    {
        var candidates = Candidates(
            Endpoint(A, baseModel: "llama", activeAdapters: ["chat-lora"], waitingAdapters: [Adapter], maxLora: 2));

        var scores = Scores(new LoraAffinityScorer(), candidates, Adapter);

        Assert.Equal([0.6], scores);
    }

    [Fact]
    public void Score_AdapterAbsentAndNoFreeSlot_GivesZero()
    {
        var candidates = Candidates(
            Endpoint(A, baseModel: "llama", activeAdapters: ["chat-lora"], waitingAdapters: ["code-lora"], maxLora: 2));

        var scores = Scores(new LoraAffinityScorer(), candidates, Adapter);

        Assert.Equal([0.0], scores);
    }

    [Fact]
    public void Score_ServerWithoutLoraSlots_GivesZero()
    {
        var candidates = Candidates(Endpoint(A, baseModel: "llama", maxLora: 0));

        var scores = Scores(new LoraAffinityScorer(), candidates, Adapter);

        Assert.Equal([0.0], scores);
    }

    [Fact]
    public void Score_RequestWithoutModel_GivesOneEverywhere()
    {
        var candidates = Candidates(
            Endpoint(A, baseModel: "llama"),
            Endpoint(B, activeAdapters: ["chat-lora"], waitingAdapters: ["code-lora"], maxLora: 2),
            Endpoint(C));

        var scores = Scores(new LoraAffinityScorer(), candidates, model: null);

        Assert.Equal([1.0, 1.0, 1.0], scores);
    }

    [Fact]
    public void Score_MixedEndpoints_ScoresEachByItsOwnAdapters()
    {
        var candidates = Candidates(
            Endpoint(A, activeAdapters: ["chat-lora"], waitingAdapters: [Adapter], maxLora: 2),
            Endpoint(B, activeAdapters: [Adapter], maxLora: 1),
            Endpoint(C, maxLora: 4),
            Endpoint(D, activeAdapters: ["chat-lora"], maxLora: 1));

        var scores = Scores(new LoraAffinityScorer(), candidates, Adapter);

        Assert.Equal([0.6, 1.0, 0.8, 0.0], scores);
    }
}
