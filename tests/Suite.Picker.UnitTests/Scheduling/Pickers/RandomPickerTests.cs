using Suite.Picker.Scheduling.Pickers;
using static Suite.Picker.UnitTests.Build;

namespace Suite.Picker.UnitTests.Scheduling.Pickers;

public sealed class RandomPickerTests
{
    [Fact]
    public void Pick_OneSlot_ChoosesTheDrawnIndexRegardlessOfScore()
    {
        var random = new ScriptedRandom(ints: [1]);
        var picker = new RandomPicker(random);

        var chosen = Picks(picker, [0.9, 0.1, 0.5], slots: 1);

        Assert.Equal([1], chosen);
        Assert.Equal([3], random.IntBounds);
    }

    [Fact]
    public void Pick_SeveralSlots_DrawsFallbacksAmongTheRemaining()
    {
        // Draw 2 of {0,1,2} → 2; draw 1 of {0,1} → 1; draw 0 of {0} → 0.
        var random = new ScriptedRandom(ints: [2, 1, 0]);
        var picker = new RandomPicker(random);

        var chosen = Picks(picker, [0.9, 0.1, 0.5], slots: 3);

        Assert.Equal([2, 1, 0], chosen);
        Assert.Equal([3, 2, 1], random.IntBounds);
    }
}
