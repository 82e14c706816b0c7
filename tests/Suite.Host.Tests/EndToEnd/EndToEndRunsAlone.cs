namespace Suite.Host.Tests.EndToEnd;

/// <summary>
/// Runs alone: the suite's Prometheus page aggregates every same-named meter in the process, so the token counts it
/// shows are exact only while no other suite in this test run carries traffic; and while suites of other test
/// classes started and stopped, the pickers' summed series was missing from the page in about one run in three
/// (most likely the OpenTelemetry SDK dropping a merged stream when one of its meters is disposed; not confirmed).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EndToEndRunsAlone
{
    public const string Name = "embedded suite end to end";
}
