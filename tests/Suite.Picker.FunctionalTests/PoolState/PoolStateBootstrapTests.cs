using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Suite.Contracts.Messaging;
using Suite.Contracts.Pools;
using Suite.Messaging;
using Suite.Messaging.InMemory;
using Suite.Picker.FunctionalTests.Infrastructure;
using Suite.Picker.Pools;

namespace Suite.Picker.FunctionalTests.PoolState;

/// <summary>A picker fed by the metrics-collector: warm start from the state store, events from the in-process bus.</summary>
public sealed class PoolStateBootstrapTests
{
    [Fact]
    public async Task Startup_SnapshotInTheStateStore_PickerStartsWarm()
    {
        var stored = PodStateSubscriptionTests.Snapshot(41, ("10.0.0.1:8000", 2));
        var store = new InMemoryStateStore(TimeProvider.System);
        await store.SaveAsync(StateKeys.Pool("chat-pool"), stored, TimeSpan.FromMinutes(5), CancellationToken.None);
        using var picker = InMemoryPicker().WithServices(services => services.AddSingleton<IStateStore>(store));

        var pool = picker.Services.GetRequiredService<PoolStateStore>();

        Assert.True(await Eventually.TrueAsync(() => pool.Current is not null), "no snapshot after start-up");
        Assert.Same(stored, pool.Current);
    }

    [Fact]
    public async Task Startup_StateStoreNotYetReachable_RetriesUntilItAnswers()
    {
        var stored = PodStateSubscriptionTests.Snapshot(7, ("10.0.0.1:8000", 0));
        var flaky = new StoreFailingAtFirst(poolFailures: 2, stored);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var picker = InMemoryPicker().WithServices(services =>
        {
            services.AddSingleton<IStateStore>(flaky);
            services.AddSingleton<TimeProvider>(time);
        });
        var pool = picker.Services.GetRequiredService<PoolStateStore>();

        // The retries wait on the fake clock: move it on until the third read has happened.
        var started = await Eventually.TrueAsync(() =>
        {
            time.Advance(TimeSpan.FromMilliseconds(250));
            return pool.Current is not null;
        });

        Assert.True(started, "no snapshot after the store came back");
        Assert.Equal(3, flaky.PoolReads);
        Assert.Equal(7, pool.Current!.Version);
    }

    [Fact]
    public async Task InMemoryBus_PodStateEvent_ReachesThePickerBeforePublishReturns()
    {
        using var picker = InMemoryPicker();
        var bus = picker.Services.GetRequiredService<InMemoryBus>();
        var snapshot = PodStateSubscriptionTests.Snapshot(3, ("10.0.0.4:8000", 1));

        await bus.PublishAsync(SuiteTopics.PodState, snapshot, CancellationToken.None);

        Assert.Same(snapshot, picker.Services.GetRequiredService<PoolStateStore>().Current);
    }

    private static PickerFactory InMemoryPicker() =>
        new PickerFactory().With("Picker:PoolName", "chat-pool").With("Messaging:Mode", "InMemory");

    /// <summary>Fails the first reads of the pool snapshot; holds no catalog.</summary>
    private sealed class StoreFailingAtFirst(int poolFailures, PoolSnapshot snapshot) : IStateStore
    {
        private int _poolReads;

        public int PoolReads => Volatile.Read(ref _poolReads);

        public Task SaveAsync<T>(string key, T value, TimeSpan? timeToLive, CancellationToken cancellationToken)
            where T : class => throw new NotSupportedException("The picker never writes snapshots.");

        public Task<T?> GetAsync<T>(string key, CancellationToken cancellationToken)
            where T : class
        {
            if (key == "catalog/chat-pool")
            {
                return Task.FromResult<T?>(null);
            }

            Assert.Equal("pool/chat-pool", key);
            return Interlocked.Increment(ref _poolReads) <= poolFailures
                ? throw new HttpRequestException("Connection refused (127.0.0.1:50001)")
                : Task.FromResult(snapshot as T);
        }
    }
}
