namespace Suite.Host.Tests.EndToEnd;

/// <summary>
/// Runs alone: the suite's Prometheus page aggregates every same-named meter in the process, so the token counts it
/// shows are exact only while no other suite in this test run carries traffic.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EndToEndRunsAlone
{
    public const string Name = "embedded suite end to end";
}
