using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Suite.Contracts.Catalog;
using Suite.Contracts.Flow;
using Suite.Contracts.Messaging;
using Suite.Contracts.Pools;
using Suite.LocalGateway.Hosting;
using Suite.Messaging;
using Suite.Messaging.InMemory;

namespace Suite.Host.Dashboard;

/// <summary>
/// Feeds <see cref="DashboardState"/> from the suite's in-process bus (<c>pod-state</c>, <c>catalog</c>,
/// <c>pool-pressure</c>) and the queue's meter. A catalog is published only when it changes, so the gateway's
/// pools' latest catalog and pod-state are also read once from the state store when the host shares one.
/// </summary>
internal sealed partial class DashboardFeed(
    InMemoryBus bus,
    DashboardState state,
    QueueDecisionListener queueDecisions,
    IOptions<GatewayOptions> gateway,
    ILogger<DashboardFeed> logger,
    IStateStore? stateStore = null)
    : IHostedService, ITopicHandler<PoolSnapshot>, ITopicHandler<CatalogSnapshot>, ITopicHandler<PoolPressureEvent>
{
    private readonly List<IDisposable> _subscriptions = [];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _subscriptions.Add(bus.Subscribe<PoolSnapshot>(SuiteTopics.PodState, this));
        _subscriptions.Add(bus.Subscribe<CatalogSnapshot>(SuiteTopics.Catalog, this));
        _subscriptions.Add(bus.Subscribe<PoolPressureEvent>(SuiteTopics.PoolPressure, this));
        queueDecisions.Start();
        if (stateStore is not null)
        {
            foreach (var pool in gateway.Value.Pools)
            {
                await WarmAsync(stateStore, pool.Name, cancellationToken);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var subscription in _subscriptions)
        {
            subscription.Dispose();
        }

        _subscriptions.Clear();
        return Task.CompletedTask;
    }

    public Task<DeliveryResult> HandleAsync(PoolSnapshot payload, CancellationToken cancellationToken)
    {
        state.Apply(payload);
        return Task.FromResult(DeliveryResult.Success);
    }

    public Task<DeliveryResult> HandleAsync(CatalogSnapshot payload, CancellationToken cancellationToken)
    {
        state.Apply(payload);
        return Task.FromResult(DeliveryResult.Success);
    }

    public Task<DeliveryResult> HandleAsync(PoolPressureEvent payload, CancellationToken cancellationToken)
    {
        state.Apply(payload);
        return Task.FromResult(DeliveryResult.Success);
    }

    // Versions decide, so a stored snapshot older than one the bus already delivered is ignored.
    private async Task WarmAsync(IStateStore store, string pool, CancellationToken cancellationToken)
    {
        try
        {
            if (await store.GetAsync<CatalogSnapshot>(StateKeys.Catalog(pool), cancellationToken) is { } catalog)
            {
                state.Apply(catalog);
            }

            if (await store.GetAsync<PoolSnapshot>(StateKeys.Pool(pool), cancellationToken) is { } pods)
            {
                state.Apply(pods);
            }
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            LogWarmFailed(pool, e.Message);
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "Dashboard: could not read the stored catalog and pod-state of pool {Pool}: {Problem}; waiting for the next events")]
    private partial void LogWarmFailed(string pool, string problem);
}
