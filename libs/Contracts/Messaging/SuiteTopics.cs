namespace Suite.Contracts.Messaging;

/// <summary>Pub/sub topic names the services agree on.</summary>
public static class SuiteTopics
{
    /// <summary>One <see cref="Pools.PoolSnapshot"/> per pool per scrape round, from the metrics-collector.</summary>
    public const string PodState = "pod-state";

    /// <summary>One <see cref="Catalog.CatalogSnapshot"/> per pool whenever its models or objectives change, from the catalog.</summary>
    public const string Catalog = "catalog";

    /// <summary>One <see cref="Flow.PoolPressureEvent"/> per pool when its pressure changes meaningfully (coalesced) and as a heartbeat, from the queue.</summary>
    public const string PoolPressure = "pool-pressure";

    /// <summary>One <see cref="Routing.RoutingDecisionBatch"/> per picker replica every few tens of milliseconds while it routes, so its peers learn its prefix-cache placements.</summary>
    public const string RoutingDecisions = "routing-decisions";
}
