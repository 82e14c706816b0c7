using System.Collections.Immutable;
using CsCheck;
using Microsoft.Extensions.Logging.Abstractions;
using Suite.Contracts.Catalog;
using Suite.Contracts.Messaging;
using Suite.Host.Gateway;
using Suite.Messaging;
using Suite.Messaging.InMemory;
using Suite.Tests.Shared;

namespace Suite.Host.Tests.Hosting;

/// <summary>
/// The gateway's route table under an at-least-once bus (CsCheck, shrinking): catalogs of three pools (two in the
/// cluster file, one not) naming overlapping models and rewrites, published on the in-process bus with random
/// duplicates, reordering and late redeliveries. Every delivery is acknowledged, and every name routes, and every
/// pool lists, exactly as after once-only, in-order delivery: each pool's highest version, file order breaking ties.
/// </summary>
public sealed class CatalogModelRouterDeliveryPropertyTests
{
    private static readonly string[] FilePools = ["chat-pool", "lora-pool"];
    private static readonly string[] AllPools = [.. FilePools, "extra-pool"];
    private static readonly string[] Names = ["chat", "sql-assistant", "summarizer", "gpt-4o"];

    [Fact]
    public async Task Catalog_DuplicatedReorderedAndRedelivered_EveryDeliveryAcknowledged_RoutesAsOnceInOrder()
    {
        var events = Gen.Select(Events(0, min: 1), Events(1, min: 0), Events(2, min: 0), (a, b, c) => (CatalogEvent[])[.. a, .. b, .. c]);

        await Redelivery.Of(events).SampleAsync(async (published, plan) =>
        {
            var bus = new InMemoryBus(NullLogger<InMemoryBus>.Instance);
            var router = new CatalogModelRouter(FilePools);
            var recorder = new AnswerRecorder<CatalogSnapshot>(router);
            using var subscription = bus.Subscribe(SuiteTopics.Catalog, recorder);
            foreach (var i in plan)
            {
                await bus.PublishAsync(SuiteTopics.Catalog, published[i].Snapshot(), CancellationToken.None);
            }

            var inOrder = new CatalogModelRouter(FilePools);
            foreach (var e in published)
            {
                await inOrder.HandleAsync(e.Snapshot(), CancellationToken.None);
            }

            Assert.Equal(Enumerable.Repeat(DeliveryResult.Success, plan.Length), recorder.Answers);
            Assert.Equal(Routes(inOrder), Routes(router));
        }, iter: 300, threads: 1);
    }

    /// <summary>Where every name goes, and what every pool lists.</summary>
    private static List<string> Routes(CatalogModelRouter router) =>
        [.. Names.Append("unlisted").Select(name => $"{name} -> {router.PoolFor(name) ?? "default"}"),
         .. AllPools.Select(pool => $"{pool}: {string.Join(',', router.ModelsOf(pool))}")];

    /// <summary>One pool's catalogs in publish order: versions rising by 1 to 3, models and exact or catch-all rewrites.</summary>
    private static Gen<CatalogEvent[]> Events(int pool, int min) =>
        Gen.Select(Gen.Int[1, 3], Gen.Int[0, Names.Length - 1].Array[0, 3], Gen.Int[0, Names.Length].Array[0, 2], (gap, models, rewrites) => (gap, models, rewrites))
            .Array[min, 5]
            .Select(steps =>
            {
                var version = 0L;
                return steps.Select(step => new CatalogEvent(
                    AllPools[pool],
                    version += step.gap,
                    [.. step.models.Select(m => Names[m])],
                    [.. step.rewrites.Select(r => r == Names.Length ? null : Names[r])])).ToArray();
            });

    /// <param name="Rewrites">Names rewritten; null is the catch-all.</param>
    private sealed record CatalogEvent(string Pool, long Version, string[] Models, string?[] Rewrites)
    {
        public CatalogSnapshot Snapshot() => new(
            Pool,
            Version,
            DateTimeOffset.UnixEpoch,
            [.. Models.Select(name => new CatalogModel(name, Criticality.Standard, []))],
            [],
            [.. Rewrites.Select(name => new CatalogRewrite(name, ImmutableArray.Create(new CatalogTarget("base", 1))))]);

        public override string ToString() =>
            $"{Pool} v{Version} models [{string.Join(',', Models)}] rewrites [{string.Join(',', Rewrites.Select(r => r ?? "*"))}]";
    }
}
