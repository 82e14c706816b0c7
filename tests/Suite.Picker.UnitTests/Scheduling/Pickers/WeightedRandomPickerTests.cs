using Suite.Picker.Scheduling.Pickers;
using static Suite.Picker.UnitTests.Build;

namespace Suite.Picker.UnitTests.Scheduling.Pickers;

public sealed class WeightedRandomPickerTests
{
    [Fact]
    public void Pick_DrawInsideFirstShare_ChoosesFirst()
    {
        // Shares of 1 and 3 out of 4: a draw of 0.2 lands at 0.8, inside [0, 1).
        var picker = new WeightedRandomPicker(new ScriptedRandom(doubles: [0.2]));

        var chosen = Picks(picker, [1.0, 3.0], slots: 1);

        Assert.Equal([0], chosen);
    }

    [Fact]
    public void Pick_DrawOnShareBoundary_ChoosesNextCandidate()
    {
        // A draw of 0.25 lands at exactly 1.0, the first point of the second share [1, 4).
        var picker = new WeightedRandomPicker(new ScriptedRandom(doubles: [0.25]));

        var chosen = Picks(picker, [1.0, 3.0], slots: 1);

        Assert.Equal([1], chosen);
    }

    [Fact]
    public void Pick_ZeroTotalFirst_IsNeverChosenEvenByDrawZero()
    {
        var picker = new WeightedRandomPicker(new ScriptedRandom(doubles: [0.0]));

        var chosen = Picks(picker, [0.0, 2.0, 2.0], slots: 1);

        Assert.Equal([1], chosen);
    }

    [Fact]
    public void Pick_NegativeTotal_CountsAsZero()
    {
        // With -5 counted as 0 the sum is 1 and a draw of 0.5 lands in the second share.
        var picker = new WeightedRandomPicker(new ScriptedRandom(doubles: [0.5]));

        var chosen = Picks(picker, [-5.0, 1.0], slots: 1);

        Assert.Equal([1], chosen);
    }

    [Fact]
    public void Pick_SeveralSlots_DrawsFallbacksWithoutReplacement()
    {
        // Sum 8: 0.5 → 4.0 lands in index 2's share [4, 8). Then sum 4 over {0, 1}: 0.5 → 2.0 lands in
        // index 1's share [1, 4). Then only index 0 is left.
        var picker = new WeightedRandomPicker(new ScriptedRandom(doubles: [0.5, 0.5, 0.5]));

        var chosen = Picks(picker, [1.0, 3.0, 4.0], slots: 3);

        Assert.Equal([2, 1, 0], chosen);
    }

    [Fact]
    public void Pick_AllTotalsZero_DrawsUniformlyByIndex()
    {
        var random = new ScriptedRandom(ints: [2]);
        var picker = new WeightedRandomPicker(random);

        var chosen = Picks(picker, [0.0, 0.0, 0.0], slots: 1);

        Assert.Equal([2], chosen);
        Assert.Equal([3], random.IntBounds);
    }

    [Fact]
    public void Pick_AllTotalsZeroWithFallbacks_DrawsAmongTheRemaining()
    {
        var random = new ScriptedRandom(ints: [1, 1, 0]);
        var picker = new WeightedRandomPicker(random);

        var chosen = Picks(picker, [0.0, 0.0, 0.0], slots: 3);

        Assert.Equal([1, 2, 0], chosen);
        Assert.Equal([3, 2, 1], random.IntBounds);
    }

    [Fact]
    public void Pick_OnlyZeroTotalsLeftForFallback_DrawsUniformlyAmongThem()
    {
        var random = new ScriptedRandom(doubles: [0.9], ints: [1]);
        var picker = new WeightedRandomPicker(random);

        var chosen = Picks(picker, [0.0, 5.0, 0.0], slots: 2);

        Assert.Equal([1, 2], chosen);
        Assert.Equal([2], random.IntBounds);
    }
}
