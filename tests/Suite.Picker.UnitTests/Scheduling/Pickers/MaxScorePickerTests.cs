using Suite.Picker.Scheduling.Pickers;
using static Suite.Picker.UnitTests.Build;

namespace Suite.Picker.UnitTests.Scheduling.Pickers;

public sealed class MaxScorePickerTests
{
    [Fact]
    public void Pick_DistinctTotals_ChoosesHighest()
    {
        var picker = new MaxScorePicker(new ScriptedRandom());

        var chosen = Picks(picker, [0.2, 0.9, 0.5], slots: 1);

        Assert.Equal([1], chosen);
    }

    [Fact]
    public void Pick_SeveralSlots_OrdersFallbacksByDescendingTotal()
    {
        var picker = new MaxScorePicker(new ScriptedRandom());

        var chosen = Picks(picker, [0.2, 0.9, 0.5, 0.7], slots: 3);

        Assert.Equal([1, 3, 2], chosen);
    }

    [Fact]
    public void Pick_MoreSlotsThanCandidates_ChoosesEachCandidateOnce()
    {
        var picker = new MaxScorePicker(new ScriptedRandom());

        var chosen = Picks(picker, [0.4, 0.6], slots: 5);

        Assert.Equal([1, 0], chosen);
    }

    [Fact]
    public void Pick_TieAndDrawZero_TakesTheLaterTiedCandidate()
    {
        var random = new ScriptedRandom(ints: [0]);
        var picker = new MaxScorePicker(random);

        var chosen = Picks(picker, [0.5, 0.9, 0.9], slots: 1);

        Assert.Equal([2], chosen);
        Assert.Equal([2], random.IntBounds);
    }

    [Fact]
    public void Pick_TieAndDrawOne_KeepsTheEarlierTiedCandidate()
    {
        var random = new ScriptedRandom(ints: [1]);
        var picker = new MaxScorePicker(random);

        var chosen = Picks(picker, [0.5, 0.9, 0.9], slots: 1);

        Assert.Equal([1], chosen);
    }

    [Fact]
    public void Pick_ThreeWayTie_DrawsOncePerTiedRival()
    {
        // Reservoir sampling: the second tie is kept with odds 1/2, the third replaces it with odds 1/3.
        var random = new ScriptedRandom(ints: [1, 0]);
        var picker = new MaxScorePicker(random);

        var chosen = Picks(picker, [0.7, 0.7, 0.7], slots: 1);

        Assert.Equal([2], chosen);
        Assert.Equal([2, 3], random.IntBounds);
    }

    [Fact]
    public void Pick_TotalsDifferingOnlyByRounding_AreTied()
    {
        var random = new ScriptedRandom(ints: [0]);
        var picker = new MaxScorePicker(random);

        var chosen = Picks(picker, [0.3, 0.1 + 0.2], slots: 1);

        Assert.Equal([1], chosen);
        Assert.Equal([2], random.IntBounds);
    }

    [Fact]
    public void Pick_TieWithFallbacks_PutsTheOtherTiedCandidateSecond()
    {
        var random = new ScriptedRandom(ints: [0]);
        var picker = new MaxScorePicker(random);

        var chosen = Picks(picker, [0.9, 0.1, 0.9], slots: 3);

        Assert.Equal([2, 0, 1], chosen);
    }
}
