namespace Suite.Host.Tests.Faults;

/// <summary>
/// The fault-injection tests put sustained load on a whole suite and judge timings against bounds (a pod avoided
/// within so many seconds, an outage noticed after so many): they run alone, so other test classes' suites do not
/// share the two cores with them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FaultInjectionRunsAlone
{
    public const string Name = "fault injection";
}
