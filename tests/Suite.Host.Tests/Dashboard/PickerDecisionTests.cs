using Suite.Host.Dashboard;

namespace Suite.Host.Tests.Dashboard;

public class PickerDecisionTests
{
    [Fact]
    public void Parse_PickedAmongListed_ReadsItsTotalAndScorerScores()
    {
        var decision = PickerDecision.Parse(
            "picked=10.0.0.3:8000 candidates=3; 10.0.0.2:8000 total=5.600 queue-depth=1.000; 10.0.0.3:8000 total=5.100 queue-depth=0.750 lora-affinity=1.000");

        Assert.NotNull(decision);
        Assert.Equal(("10.0.0.3:8000", 3, 5.1), (decision.Picked, decision.Candidates, decision.Total));
        Assert.Equal<ScorerScore>([new ScorerScore("queue-depth", 0.75), new ScorerScore("lora-affinity", 1.0)], decision.Scores);
    }

    [Fact]
    public void Parse_PickedNotListed_HasNoScores()
    {
        var decision = PickerDecision.Parse("picked=10.0.0.9:8000 candidates=12; 10.0.0.2:8000 total=5.600 queue-depth=1.000");

        Assert.NotNull(decision);
        Assert.Equal(("10.0.0.9:8000", 12, (double?)null, 0), (decision.Picked, decision.Candidates, decision.Total, decision.Scores.Length));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("candidates=3; 10.0.0.2:8000 total=5.600")]
    public void Parse_NoPickedEndpoint_IsNull(string? text) => Assert.Null(PickerDecision.Parse(text));
}
