using System.Collections.Immutable;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Suite.Catalog.Publishing;
using Suite.Catalog.Resolution;
using Suite.Catalog.Tests.Support;
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

        Assert.Equal(new PublishOutcome(2, 0), published);
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

        Assert.Equal(new PublishOutcome(1, 0), published);
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

        Assert.Equal(new PublishOutcome(0, 0), published);
        Assert.Empty(_bus.Snapshots);
    }

    [Fact]
    public async Task FailedPublish_CountedAndPublishedAgainOnTheNextPass()
    {
        _bus.Failing = true;
        var failed = await _publisher.PublishChangesAsync(Resolution(("chat-pool", "sql", 90)), CancellationToken.None);
        _bus.Failing = false;

        var retried = await _publisher.PublishChangesAsync(Resolution(("chat-pool", "sql", 90)), CancellationToken.None);

        Assert.Equal((new PublishOutcome(0, 1), new PublishOutcome(1, 0)), (failed, retried));
        Assert.Equal(1_795_424_400_000_001, Assert.Single(_bus.Snapshots).Version); // still above the failed attempt's
    }

    [Fact]
    public async Task Reset_EveryPoolPublishedAgainWithAHigherVersion()
    {
        await _publisher.PublishChangesAsync(Resolution(("chat-pool", "sql", 90), ("batch-pool", "batch", 1)), CancellationToken.None);
        _bus.Clear();

        _publisher.Reset();
        var published = await _publisher.PublishChangesAsync(Resolution(("chat-pool", "sql", 90), ("batch-pool", "batch", 1)), CancellationToken.None);

        Assert.Equal(new PublishOutcome(2, 0), published);
        Assert.All(_bus.Snapshots, snapshot => Assert.Equal(1_795_424_400_000_001, snapshot.Version));
    }

    private static CatalogResolution Resolution(params (string Pool, string Model, int Weight)[] pools) => new(
        pools.ToImmutableDictionary(
            p => p.Pool,
            p => new PoolCatalog([new CatalogModel(p.Model, Criticality.Standard, [new CatalogTarget(p.Model + "-v1", p.Weight)])], [new CatalogObjective("default", 0)], []),
            StringComparer.Ordinal),
        ImmutableDictionary<string, AcceptedCondition>.Empty);
}
