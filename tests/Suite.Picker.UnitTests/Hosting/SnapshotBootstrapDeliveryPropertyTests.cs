using CsCheck;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Suite.Contracts.Catalog;
using Suite.Contracts.Messaging;
using Suite.Contracts.Pools;
using Suite.Messaging;
using Suite.Picker.Catalog;
using Suite.Picker.Hosting;
using Suite.Picker.Pools;
using Suite.Tests.Shared;
using static Suite.Picker.UnitTests.Build;

namespace Suite.Picker.UnitTests.Hosting;

/// <summary>
/// A picker starting warm while the bus delivers (CsCheck, shrinking): <c>pod-state</c> and <c>catalog</c> events of
/// its pool and another, duplicated, reordered and redelivered, arrive before the start-up read of the state store,
/// while it is in flight, and after. Every delivery is acknowledged; the stored snapshot is taken only when no event
/// came first, and never wins over a newer event. So each store ends on its pool's highest delivered version, or the
/// stored one when that is higher and nothing preceded the read.
/// </summary>
public sealed class SnapshotBootstrapDeliveryPropertyTests
{
    private const string OwnPool = "chat-pool";
    private const string PodState = "pod-state";
    private const string Catalog = "catalog";

    [Fact]
    public async Task Bootstrap_EventsBeforeDuringAndAfterTheStoreRead_EveryDeliveryAcknowledged_NoOlderStoredSnapshotWins()
    {
        var events = Gen.Select(
            Events(PodState, OwnPool, min: 1), Events(PodState, "batch-pool", min: 0), Events(Catalog, OwnPool, min: 0), Events(Catalog, "batch-pool", min: 0),
            (a, b, c, d) => (BusEvent[])[.. a, .. b, .. c, .. d]);
        var scenario = Redelivery.Of(events).SelectMany(s => Gen.Select(
            Gen.Int[0, s.Plan.Length], Gen.Int[0, s.Plan.Length], Gen.Int[0, 12], Gen.Int[0, 12],
            (a, b, storedPool, storedCatalog) => new Scenario(s.Events, s.Plan, Math.Min(a, b), Math.Max(a, b), storedPool, storedCatalog)));

        await scenario.SampleAsync(async s =>
        {
            var picker = new WarmingPicker(s);
            var phase = s.Plan.Select((index, n) => (Event: s.Events[index], Phase: n < s.ReadStarts ? Phase.Before : n < s.ReadEnds ? Phase.During : Phase.After)).ToArray();

            await picker.DeliverAsync(phase.Where(p => p.Phase == Phase.Before).Select(p => p.Event));
            picker.RaceTheRead(phase.Where(p => p.Phase == Phase.During).Select(p => p.Event));
            await picker.Bootstrap.StartAsync(CancellationToken.None);
            await picker.Bootstrap.ExecuteTask!;
            await picker.DeliverAsync(picker.RacedButNotRead());
            await picker.DeliverAsync(phase.Where(p => p.Phase == Phase.After).Select(p => p.Event));

            Assert.Equal(Enumerable.Repeat(DeliveryResult.Success, s.Plan.Length), picker.Results);
            Assert.Equal(Expected(phase, PodState, s.StoredPool), picker.Pools.Current?.Version);
            Assert.Equal(Expected(phase, Catalog, s.StoredCatalog), picker.Catalogs.Current?.Snapshot.Version);
        }, iter: 300, threads: 1);
    }

    /// <summary>The highest own version delivered, and the stored one too unless an own event came before the read.</summary>
    private static long? Expected((BusEvent Event, Phase Phase)[] deliveries, string topic, int stored)
    {
        var own = deliveries.Where(d => d.Event.Topic == topic && d.Event.Pool == OwnPool).ToArray();
        var candidates = own.Select(d => d.Event.Version).ToList();
        if (stored > 0 && !own.Any(d => d.Phase == Phase.Before))
        {
            candidates.Add(stored);
        }

        return candidates.Count == 0 ? null : candidates.Max();
    }

    private static Gen<BusEvent[]> Events(string topic, string pool, int min) =>
        Gen.Int[1, 3].Array[min, 5].Select(gaps =>
        {
            var version = 0L;
            return gaps.Select(gap => new BusEvent(topic, pool, version += gap)).ToArray();
        });

    private enum Phase
    {
        Before,
        During,
        After,
    }

    private sealed record BusEvent(string Topic, string Pool, long Version)
    {
        public override string ToString() => $"{Topic} {Pool} v{Version}";
    }

    /// <summary>Plan positions before <paramref name="ReadStarts"/> precede the read, those before <paramref name="ReadEnds"/> race it; 0 stores nothing.</summary>
    private sealed record Scenario(BusEvent[] Events, int[] Plan, int ReadStarts, int ReadEnds, int StoredPool, int StoredCatalog)
    {
        public override string ToString() =>
            $"events [{string.Join("; ", Events.Select(e => e.ToString()))}] plan [{string.Join(',', Plan)}] read [{ReadStarts}, {ReadEnds}) stored pool v{StoredPool} catalog v{StoredCatalog}";
    }

    /// <summary>A picker's stores, handlers and start-up read, over a state store that lets events in during the read.</summary>
    private sealed class WarmingPicker : IStateStore
    {
        private readonly Scenario _scenario;
        private readonly PoolSnapshotHandler _pods;
        private readonly CatalogSnapshotHandler _catalogs;
        private List<BusEvent> _duringRead = [];

        public WarmingPicker(Scenario scenario)
        {
            _scenario = scenario;
            var options = Options.Create(new PickerOptions { PoolName = OwnPool });
            _pods = new PoolSnapshotHandler(Pools, options, NullLogger<PoolSnapshotHandler>.Instance);
            _catalogs = new CatalogSnapshotHandler(Catalogs, options, NullLogger<CatalogSnapshotHandler>.Instance);
            Bootstrap = new SnapshotBootstrap(this, Pools, Catalogs, options, new FakeTimeProvider(Start), NullLogger<SnapshotBootstrap>.Instance);
        }

        public PoolStateStore Pools { get; } = new();

        public CatalogStore Catalogs { get; } = new();

        public SnapshotBootstrap Bootstrap { get; }

        public List<DeliveryResult> Results { get; } = [];

        public void RaceTheRead(IEnumerable<BusEvent> events) => _duringRead = [.. events];

        /// <summary>Racing events of a topic whose read the bootstrap skipped (an event was faster): they arrive just after.</summary>
        public List<BusEvent> RacedButNotRead() => _duringRead;

        public async Task DeliverAsync(IEnumerable<BusEvent> events)
        {
            foreach (var e in events)
            {
                Results.Add(e.Topic == PodState
                    ? await _pods.HandleAsync(new PoolSnapshot(e.Pool, e.Version, Start, []), CancellationToken.None)
                    : await _catalogs.HandleAsync(new CatalogSnapshot(e.Pool, e.Version, Start, [], [], []), CancellationToken.None));
            }
        }

        public Task SaveAsync<T>(string key, T value, TimeSpan? timeToLive, CancellationToken cancellationToken)
            where T : class => throw new NotSupportedException("The picker never writes snapshots.");

        /// <summary>The topic's racing events arrive after the bootstrap checked its store and before the read answers.</summary>
        public async Task<T?> GetAsync<T>(string key, CancellationToken cancellationToken)
            where T : class
        {
            var isPool = key == StateKeys.Pool(OwnPool);
            var topic = isPool ? PodState : Catalog;
            var racing = _duringRead.Where(e => e.Topic == topic).ToArray();
            _duringRead.RemoveAll(e => e.Topic == topic);
            await DeliverAsync(racing);
            object? stored = isPool
                ? _scenario.StoredPool > 0 ? new PoolSnapshot(OwnPool, _scenario.StoredPool, Start, []) : null
                : _scenario.StoredCatalog > 0 ? new CatalogSnapshot(OwnPool, _scenario.StoredCatalog, Start, [], [], []) : null;
            return stored as T;
        }
    }
}
