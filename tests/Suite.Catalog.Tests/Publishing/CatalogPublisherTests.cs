using System.Collections.Immutable;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Suite.Catalog.Publishing;
using Suite.Catalog.Resolution;
using Suite.Contracts.Catalog;
using Suite.Contracts.Messaging;
using Suite.Messaging;
using Suite.Messaging.InMemory;

namespace Suite.Catalog.Tests.Publishing;

public sealed class CatalogPublisherTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
    private readonly RecordingBus _bus = new();
    private readonly InMemoryStateStore _store;
    private readonly CatalogPublisher _publisher;

    public CatalogPublisherTests()
    {
        _store = new InMemoryStateStore(_time);
        _publisher = new CatalogPublisher(_bus, _store, _time, NullLogger<CatalogPublisher>.Instance);
    }

    [Fact]
    public async Task FirstResolution_EveryPoolPublishedAndSaved()
    {
        var published = await _publisher.PublishChangesAsync(Resolution(("chat-pool", "sql", 90), ("batch-pool", "batch", 1)), CancellationToken.None);

        Assert.Equal(2, published);
        Assert.Equal(["batch-pool", "chat-pool"], _bus.Snapshots.Select(s => s.PoolName));
        Assert.All(_bus.Topics, topic => Assert.Equal(SuiteTopics.Catalog, topic));
        var saved = await _store.GetAsync<CatalogSnapshot>(StateKeys.Catalog("chat-pool"), CancellationToken.None);
        Assert.Same(_bus.Snapshots[1], saved);
        Assert.Equal(1_795_424_400_000_000, saved!.Version); // 2026-11-23T09:00Z in microseconds since the epoch
    }

    [Fact]
    public async Task UnchangedPool_NotPublishedAgain_ChangedOneIsWithAHigherVersion()
    {
        await _publisher.PublishChangesAsync(Resolution(("chat-pool", "sql", 90), ("batch-pool", "batch", 1)), CancellationToken.None);
        var first = _bus.Snapshots.Single(s => s.PoolName == "chat-pool").Version;
        _bus.Clear();

        var published = await _publisher.PublishChangesAsync(Resolution(("chat-pool", "sql", 50), ("batch-pool", "batch", 1)), CancellationToken.None);

        Assert.Equal(1, published);
        var snapshot = Assert.Single(_bus.Snapshots);
        Assert.Equal("chat-pool", snapshot.PoolName);
        Assert.Equal(first + 1, snapshot.Version); // the fake clock did not move: bumped by one
        Assert.Equal(50, snapshot.Models[0].Targets[0].Weight);
    }

    [Fact]
    public async Task EquivalentResolution_BuiltAgain_PublishesNothing()
    {
        await _publisher.PublishChangesAsync(Resolution(("chat-pool", "sql", 90)), CancellationToken.None);
        _bus.Clear();

        var published = await _publisher.PublishChangesAsync(Resolution(("chat-pool", "sql", 90)), CancellationToken.None);

        Assert.Equal(0, published);
        Assert.Empty(_bus.Snapshots);
    }

    private static CatalogResolution Resolution(params (string Pool, string Model, int Weight)[] pools) => new(
        pools.ToImmutableDictionary(
            p => p.Pool,
            p => new PoolCatalog([new CatalogModel(p.Model, Criticality.Standard, [new CatalogTarget(p.Model + "-v1", p.Weight)])], [new CatalogObjective("default", 0)], []),
            StringComparer.Ordinal),
        ImmutableDictionary<string, AcceptedCondition>.Empty);

    private sealed class RecordingBus : IEventPublisher
    {
        private readonly List<(string Topic, CatalogSnapshot Snapshot)> _events = [];

        public IReadOnlyList<CatalogSnapshot> Snapshots => [.. _events.Select(e => e.Snapshot)];

        public IReadOnlyList<string> Topics => [.. _events.Select(e => e.Topic)];

        public void Clear() => _events.Clear();

        public Task PublishAsync<T>(string topic, T payload, CancellationToken cancellationToken)
            where T : class
        {
            _events.Add((topic, (CatalogSnapshot)(object)payload));
            return Task.CompletedTask;
        }
    }
}
