namespace Suite.MetricsCollector.Tests.Collecting;

/// <summary>
/// Tests that host a collector run one after another: OpenTelemetry's exporter listens to meters by name
/// process-wide, so two collector hosts at once would count each other's scrapes on their /metrics pages.
/// </summary>
[CollectionDefinition(Name)]
public sealed class CollectorHostsGroup
{
    public const string Name = "collector hosts";
}
