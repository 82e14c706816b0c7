using Suite.Picker.Scheduling.Pickers;
using static Suite.Picker.UnitTests.Build;

namespace Suite.Picker.UnitTests.Scheduling.Pickers;

public sealed class RoundRobinPickerTests
{
    [Fact]
    public void Pick_RepeatedCalls_CyclesThroughCandidates()
    {
        var picker = new RoundRobinPicker();
        double[] totals = [0.9, 0.1, 0.5];

        int[] primaries = [.. Enumerable.Range(0, 5).Select(_ => Picks(picker, totals, slots: 1)[0])];

        Assert.Equal([0, 1, 2, 0, 1], primaries);
    }

    [Fact]
    public void Pick_SeveralSlots_NamesTheFollowingCandidatesAsFallbacks()
    {
        var picker = new RoundRobinPicker();
        double[] totals = [0.9, 0.1, 0.5];
        Picks(picker, totals, slots: 1);

        var chosen = Picks(picker, totals, slots: 3);

        Assert.Equal([1, 2, 0], chosen);
    }
}
