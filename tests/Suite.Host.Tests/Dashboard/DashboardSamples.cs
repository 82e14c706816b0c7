using System.Collections.Immutable;
using Suite.Contracts.Catalog;
using Suite.Contracts.Flow;
using Suite.Contracts.Pools;
using Suite.LocalGateway.Observation;

namespace Suite.Host.Tests.Dashboard;

/// <summary>Contract values as the services publish them, with only what a test cares about to fill in.</summary>
internal static class DashboardSamples
{
    public static readonly DateTimeOffset Start = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static EndpointSnapshot Pod(
        string address, string podName, int waiting, int running, double kvCache, DateTimeOffset? measuredAt,
        bool stale = false, string[]? adapters = null, string[]? waitingAdapters = null) =>
        new(address, podName, "meta-llama/Llama-3.1-8B-Instruct", new EndpointMetrics(
            waiting, running, kvCache, [.. adapters ?? []], [.. waitingAdapters ?? []], 4, measuredAt) { Stale = stale });

    public static PoolSnapshot Pods(string pool, long version, DateTimeOffset takenAt, params EndpointSnapshot[] pods) =>
        new(pool, version, takenAt, [.. pods]);

    /// <summary>
    /// Models: <c>chat</c> Critical, <c>batch</c> Sheddable, <c>base</c> Standard, and a rewrite of <c>alias</c>;
    /// objectives <c>premium</c> (5) and <c>bulk</c> (-3).
    /// </summary>
    public static CatalogSnapshot PoolCatalog(string pool, long version = 1) => new(
        pool,
        version,
        Start,
        [
            new CatalogModel("chat", Criticality.Critical, []),
            new CatalogModel("batch", Criticality.Sheddable, [new CatalogTarget("sql-lora", 100)]),
            new CatalogModel("base", Criticality.Standard, []),
        ],
        [new CatalogObjective("premium", 5), new CatalogObjective("bulk", -3)],
        [new CatalogRewrite("alias", [new CatalogTarget("batch", 1)])]);

    public static PoolPressureEvent Pressure(string pool, int depth, double saturation, long version, DateTimeOffset at) => new(
        pool,
        saturation,
        depth,
        ImmutableDictionary<string, int>.Empty.Add("chat", depth),
        depth == 0 ? ImmutableDictionary<int, int>.Empty : ImmutableDictionary<int, int>.Empty.Add(1, depth - 1).Add(-1, 1),
        at,
        version);

    public static GatewayExchange Exchange(
        string pool, string? model, int status, string? objective = null, string? detail = null, string? decision = null,
        string? endpoint = "10.0.0.1:8000", DateTimeOffset? completed = null) => new(
        completed ?? Start,
        pool,
        model,
        objective,
        status,
        status == 200 ? endpoint : null,
        decision,
        detail is null ? ExchangeOutcomes.Proxied : ExchangeOutcomes.PickerAnswered,
        detail,
        TimeSpan.FromMilliseconds(12.34));
}
