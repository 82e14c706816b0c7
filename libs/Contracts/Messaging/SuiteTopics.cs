namespace Suite.Contracts.Messaging;

/// <summary>Pub/sub topic names the services agree on.</summary>
public static class SuiteTopics
{
    /// <summary>One <see cref="Pools.PoolSnapshot"/> per pool per scrape round, from the metrics-collector.</summary>
    public const string PodState = "pod-state";
}
