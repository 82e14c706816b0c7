namespace Suite.Picker.FunctionalTests.Infrastructure;

/// <summary>
/// Tests that scrape <c>/metrics</c> run alone: OpenTelemetry listens to meters by name across the process, so a
/// scrape would also count the requests of picker hosts that other test classes are running at the same time.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsRunAlone
{
    public const string Name = "metrics scrapes run alone";
}
