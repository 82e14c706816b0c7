using System.Collections.Immutable;
using System.Diagnostics.Metrics;
using System.Text.Json;
using CsCheck;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Suite.Contracts.Catalog;
using Suite.Contracts.Flow;
using Suite.Contracts.Messaging;
using Suite.Contracts.Pools;
using Suite.Host.Dashboard;
using Suite.LocalGateway.Hosting;
using Suite.Messaging;
using Suite.Messaging.InMemory;
using Suite.Tests.Shared;
using static Suite.Host.Tests.Dashboard.DashboardSamples;

namespace Suite.Host.Tests.Dashboard;

/// <summary>
/// The dashboard's feed under an at-least-once bus (CsCheck, shrinking): <c>pod-state</c>, <c>catalog</c> and
/// <c>pool-pressure</c> events of three pools, published on the in-process bus with random duplicates, reordering
/// and late redeliveries, some while the feed's start-up read of the state store is in flight (so a stored snapshot
/// may be older than events already shown). The bus reports no delivery refused or failed, and the page shows
/// exactly what once-only, in-order delivery after the start-up read shows: each pool's highest version per topic.
/// </summary>
public sealed class DashboardFeedDeliveryPropertyTests : IDisposable
{
    private const string PodState = SuiteTopics.PodState;
    private const string Catalog = SuiteTopics.Catalog;
    private const string Pressure = SuiteTopics.PoolPressure;

    // The gateway's pools are read from the state store at start; the third is heard of on the bus only.
    private static readonly string[] GatewayPools = ["pool-a", "pool-b"];
    private static readonly string[] AllPools = [.. GatewayPools, "pool-c"];
    private static readonly string[] Topics = [PodState, Catalog, Pressure];
    private static readonly string[] Models = ["chat", "batch", "base", "unknown"];

    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    [Fact]
    public async Task Feed_ThreeTopicsDuplicatedReorderedRedeliveredAndRacingTheStoreRead_NothingRefused_PageAsOnceInOrder()
    {
        var events = Gen.Select(Gen.Int[0, Topics.Length - 1], Gen.Int[0, AllPools.Length - 1], Gen.Int[0, 9], (topic, pool, figure) => (topic, pool, figure))
            .Array[1, 12]
            .Select(Versioned);
        var scenario = Redelivery.Of(events).SelectMany(s => Gen.Select(
            Gen.Int[0, s.Plan.Length], Gen.Int[0, 12].Array[GatewayPools.Length * 2],
            (racing, stored) => new Scenario(s.Events, s.Plan, racing, stored)));

        await scenario.SampleAsync(async s =>
        {
            var time = new FakeTimeProvider(Start);
            var complaints = new BusComplaints();
            var bus = new InMemoryBus(complaints);
            var state = new DashboardState(time);
            using var queueDecisions = new QueueDecisionListener(state, new QueueMeterScope(_services.GetRequiredService<IMeterFactory>()));
            var store = new StoreAnsweringAfter(s.Stored(), () => PublishAsync(bus, s.Delivered().Take(s.RacingRead)));
            var feed = new DashboardFeed(bus, state, queueDecisions, Gateway(), NullLogger<DashboardFeed>.Instance, store);

            await feed.StartAsync(CancellationToken.None);
            await PublishAsync(bus, s.Delivered().Skip(s.RacingRead));
            await feed.StopAsync(CancellationToken.None);

            var inOrder = new DashboardState(time);
            foreach (var stored in s.Stored().Values)
            {
                Apply(inOrder, stored);
            }

            foreach (var e in s.Events)
            {
                Apply(inOrder, e.Payload());
            }

            Assert.Empty(complaints.Lines);
            var shown = state.Snapshot().Pools;
            Assert.Equal(AllPools.Select(s.NewestPodState), AllPools.Select(pool => shown.SingleOrDefault(view => view.Name == pool)?.SnapshotVersion));
            Assert.Equal(Page(inOrder), Page(state));
        }, iter: 200, threads: 1);
    }

    public void Dispose() => _services.Dispose();

    private static IOptions<GatewayOptions> Gateway() =>
        Options.Create(new GatewayOptions { Pools = [.. GatewayPools.Select(name => new GatewayPoolOptions { Name = name })] });

    private static async Task PublishAsync(InMemoryBus bus, IEnumerable<BusEvent> events)
    {
        foreach (var e in events)
        {
            switch (e.Payload())
            {
                case PoolSnapshot pods:
                    await bus.PublishAsync(PodState, pods, CancellationToken.None);
                    break;
                case CatalogSnapshot catalog:
                    await bus.PublishAsync(Catalog, catalog, CancellationToken.None);
                    break;
                case PoolPressureEvent pressure:
                    await bus.PublishAsync(Pressure, pressure, CancellationToken.None);
                    break;
                default:
                    throw new InvalidOperationException("Not an event of the dashboard's topics.");
            }
        }
    }

    private static void Apply(DashboardState state, object payload)
    {
        switch (payload)
        {
            case PoolSnapshot pods:
                state.Apply(pods);
                break;
            case CatalogSnapshot catalog:
                state.Apply(catalog);
                break;
            case PoolPressureEvent pressure:
                state.Apply(pressure);
                break;
            default:
                throw new InvalidOperationException("Not an event of the dashboard's topics.");
        }
    }

    /// <summary>The page's JSON after the same requests through every pool: the catalog shows in their priorities.</summary>
    private static string Page(DashboardState state)
    {
        foreach (var pool in AllPools)
        {
            foreach (var model in Models)
            {
                state.Completed(Exchange(pool, model, 200));
                state.Completed(Exchange(pool, model, 200, objective: "premium"));
            }
        }

        return JsonSerializer.Serialize(state.Snapshot(), DashboardJsonContext.Default.DashboardSnapshot);
    }

    /// <summary>Each pool and topic's events get rising versions in publish order.</summary>
    private static BusEvent[] Versioned((int Topic, int Pool, int Figure)[] steps)
    {
        var versions = new Dictionary<(int, int), long>();
        return [.. steps.Select(step =>
        {
            var version = versions[(step.Topic, step.Pool)] = versions.GetValueOrDefault((step.Topic, step.Pool)) + 1 + step.Figure % 2;
            return new BusEvent(Topics[step.Topic], AllPools[step.Pool], version, step.Figure);
        })];
    }

    /// <summary>One event; <paramref name="Figure"/> sets what it shows (waiting requests, a model's criticality, queue depth).</summary>
    private sealed record BusEvent(string Topic, string Pool, long Version, int Figure)
    {
        public object Payload() => Topic switch
        {
            PodState => new PoolSnapshot(
                Pool, Version, Start + TimeSpan.FromSeconds(Version),
                [.. Enumerable.Range(1, 1 + (Figure % 3)).Select(n => Pod($"10.0.0.{n}:8000", $"pod-{n}", Figure, 0, 0.1 * n, Start))]),
            Catalog => new CatalogSnapshot(
                Pool, Version, Start,
                [new CatalogModel("chat", (Criticality)(Figure % 3), []), new CatalogModel("batch", (Criticality)((Figure + 1) % 3), [])],
                [new CatalogObjective("premium", Figure - 4)],
                []),
            _ => new PoolPressureEvent(
                Pool, Figure / 10.0, Figure,
                ImmutableDictionary<string, int>.Empty.Add("chat", Figure),
                Figure == 0 ? ImmutableDictionary<int, int>.Empty : ImmutableDictionary<int, int>.Empty.Add(Figure % 3, Figure),
                Start + TimeSpan.FromSeconds(Version),
                Version),
        };

        public override string ToString() => $"{Topic} {Pool} v{Version} figure {Figure}";
    }

    /// <summary>
    /// The first <paramref name="RacingRead"/> deliveries of the plan arrive while the start-up read is in flight; the
    /// rest after. <paramref name="StoredVersions"/>: per gateway pool, the stored pod-state then catalog version (0: none).
    /// </summary>
    private sealed record Scenario(BusEvent[] Events, int[] Plan, int RacingRead, int[] StoredVersions)
    {
        public IEnumerable<BusEvent> Delivered() => Plan.Select(i => Events[i]);

        public Dictionary<string, object> Stored()
        {
            var stored = new Dictionary<string, object>(StringComparer.Ordinal);
            for (var p = 0; p < GatewayPools.Length; p++)
            {
                if (StoredVersions[2 * p] > 0)
                {
                    stored[StateKeys.Pool(GatewayPools[p])] = Snapshot(PodState, GatewayPools[p], StoredVersions[2 * p]);
                }

                if (StoredVersions[(2 * p) + 1] > 0)
                {
                    stored[StateKeys.Catalog(GatewayPools[p])] = Snapshot(Catalog, GatewayPools[p], StoredVersions[(2 * p) + 1]);
                }
            }

            return stored;
        }

        /// <summary>What was published as this version, if it was (one version is one snapshot), else a snapshot only the store saw.</summary>
        private object Snapshot(string topic, string pool, long version) =>
            (Events.FirstOrDefault(e => e.Topic == topic && e.Pool == pool && e.Version == version) ?? new BusEvent(topic, pool, version, 7)).Payload();

        /// <summary>The pool's highest pod-state version among the events and the stored snapshot; null when there is none.</summary>
        public long? NewestPodState(string pool) =>
            Events.Where(e => e.Topic == PodState && e.Pool == pool).Select(e => (long?)e.Version)
                .Append(Stored().TryGetValue(StateKeys.Pool(pool), out var pods) ? ((PoolSnapshot)pods).Version : null)
                .Max();

        public override string ToString() =>
            $"events [{string.Join("; ", Events.Select(e => e.ToString()))}] plan [{string.Join(',', Plan)}] racing {RacingRead} stored [{string.Join(',', StoredVersions)}]";
    }

    /// <summary>A state store whose first read answers only after the racing events were delivered.</summary>
    private sealed class StoreAnsweringAfter(Dictionary<string, object> stored, Func<Task> race) : IStateStore
    {
        private Func<Task>? _race = race;

        public Task SaveAsync<T>(string key, T value, TimeSpan? timeToLive, CancellationToken cancellationToken)
            where T : class => throw new NotSupportedException("The dashboard never writes snapshots.");

        public async Task<T?> GetAsync<T>(string key, CancellationToken cancellationToken)
            where T : class
        {
            if (Interlocked.Exchange(ref _race, null) is { } race)
            {
                await race();
            }

            return stored.TryGetValue(key, out var value) ? value as T : null;
        }
    }

    /// <summary>What the in-process bus logs when a subscriber refuses a delivery (RETRY, DROP) or fails.</summary>
    private sealed class BusComplaints : ILogger<InMemoryBus>
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                Lines.Add(formatter(state, exception));
            }
        }
    }
}
