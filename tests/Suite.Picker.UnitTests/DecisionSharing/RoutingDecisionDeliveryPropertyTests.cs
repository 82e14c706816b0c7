using System.Diagnostics.Metrics;
using CsCheck;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Suite.Contracts.Flow;
using Suite.Contracts.Routing;
using Suite.Messaging;
using Suite.Picker.DecisionSharing;
using Suite.Picker.Hosting;
using Suite.Picker.Observability;
using Suite.Picker.Pools;
using Suite.Picker.Scheduling.Pickers;
using Suite.Picker.Scheduling.Prefix;
using Suite.Picker.Scheduling.Scorers;
using Suite.Tests.Shared;
using static Suite.Picker.UnitTests.Build;

namespace Suite.Picker.UnitTests.DecisionSharing;

/// <summary>
/// Peers' <c>routing-decisions</c> batches under an at-least-once bus (CsCheck, shrinking). Batches carry no version:
/// they are facts ("this prefix went there at this time"), and recording one is idempotent. So whatever duplicates,
/// reordering, late redeliveries and bus delays come, every delivery is acknowledged and the prefix index ends as
/// once-only, in-order delivery at publish time leaves it: each placement recorded once, as recent as the newest
/// batch that made it, and no redelivery makes an old placement look recent. (Within each endpoint's capacity: at
/// capacity, delivery order decides which placements the LRU evicts first, which only costs cache affinity.)
/// </summary>
public sealed class RoutingDecisionDeliveryPropertyTests : IDisposable
{
    private const string Pool = "chat-pool";

    // A, B, C and D are in the pool (no more than a block keeps holders for); E is not.
    private static readonly string[] Addresses = [A, B, C, D, E];
    private static readonly string[] Replicas = ["picker-b", "picker-c", DecisionSharingFixture.ReplicaId];
    private static readonly PrefixCacheSettings Settings = PrefixCacheSettings.Default with { MaxBlocks = 3, CapacityBlocks = 64 };

    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly PoolStateStore _pool = new();

    public RoutingDecisionDeliveryPropertyTests() =>
        _pool.Publish(new(Pool, 1, Start, [Endpoint(A), Endpoint(B), Endpoint(C), Endpoint(D)]));

    [Fact]
    public async Task RoutingDecisions_DuplicatedReorderedRedeliveredAndDelayed_EveryDeliveryAcknowledged_IndexAsOnceInOrderAtPublishTime()
    {
        var scenario = Redelivery.Of(Batches).SelectMany(s => Gen.Int[0, 300].Array[s.Plan.Length].Select(delays => (s.Events, s.Plan, delays)));

        await scenario.SampleAsync(async (published, plan, delays) =>
        {
            var replica = NewReplica();
            var results = new List<DeliveryResult>();
            for (var n = 0; n < plan.Length; n++)
            {
                // Never before its publish time; later by the bus's delay or a redelivery's wait.
                var batch = published[plan[n]];
                var at = Max(replica.Time.GetUtcNow(), batch.At) + TimeSpan.FromSeconds(delays[n]);
                replica.Time.SetUtcNow(at);
                results.Add(await replica.Handler.HandleAsync(batch.Batch(), CancellationToken.None));
            }

            var inOrder = NewReplica();
            foreach (var batch in published)
            {
                inOrder.Time.SetUtcNow(batch.At);
                await inOrder.Handler.HandleAsync(batch.Batch(), CancellationToken.None);
            }

            inOrder.Time.SetUtcNow(replica.Time.GetUtcNow());
            var ages = AgeLimits(published, replica.Time.GetUtcNow());
            Assert.Equal(Enumerable.Repeat(DeliveryResult.Success, plan.Length), results);
            Assert.Equal(Observe(inOrder.Index, ages), Observe(replica.Index, ages));
        }, iter: 300, threads: 1);
    }

    public void Dispose() => _services.Dispose();

    /// <summary>Batches in publish order, each 0 to 200 s after the previous: own, other pools', sizes the index ignores.</summary>
    private static Gen<PublishedBatch[]> Batches { get; } =
        Gen.Select(
            Gen.Int[0, 200],
            Gen.Int[0, Replicas.Length - 1],
            Gen.Int[0, 4],
            Gen.Select(Gen.Int[0, Addresses.Length - 1], Gen.Int[0, 5], Gen.Int[1, 8].Array[1, 5], (endpoint, size, hashes) => new SharedDecision(Addresses[endpoint], size == 0 ? 128 : 64, hashes)).Array[1, 3],
            (gap, replica, pool, decisions) => (gap, replica, pool, decisions))
        .Array[1, 6]
        .Select(steps =>
        {
            var at = Start;
            return steps.Select(step => new PublishedBatch(step.pool == 0 ? "batch-pool" : Pool, Replicas[step.replica], at += TimeSpan.FromSeconds(step.gap), step.decisions)).ToArray();
        });

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    /// <summary>
    /// Age limits that tell every recording time apart: exactly each batch's age at <paramref name="now"/> and a tick
    /// less, so a placement recorded any later than its batch was published shows up at one of them.
    /// </summary>
    private static TimeSpan[] AgeLimits(PublishedBatch[] published, DateTimeOffset now) =>
        [.. published.SelectMany(batch => new[] { now - batch.At, now - batch.At - TimeSpan.FromTicks(1) }).Where(age => age >= TimeSpan.Zero).Append(Settings.MaxAge).Distinct().Order()];

    /// <summary>Everything the prefix scorer can learn from the index: blocks per endpoint, and which count within each age limit.</summary>
    private static List<string> Observe(PrefixCacheIndex index, TimeSpan[] ages)
    {
        var seen = new List<string>();
        var ids = Addresses.Select(index.IdOf).ToArray();
        var matched = new int[ids.Length];
        foreach (var address in Addresses)
        {
            seen.Add($"{address} holds {index.BlockCount(address)}");
        }

        for (ulong hash = 1; hash <= 8; hash++)
        {
            foreach (var age in ages)
            {
                index.Match([hash], ids, matched, age);
                for (var e = 0; e < ids.Length; e++)
                {
                    if (matched[e] > 0)
                    {
                        seen.Add($"{Addresses[e]} #{hash} within {age.TotalSeconds}s");
                    }
                }
            }
        }

        return seen;
    }

    private PeerReplica NewReplica()
    {
        var time = new FakeTimeProvider(Start);
        var index = new PrefixCacheIndex(time);
        var profile = Profile(new MaxScorePicker(new ScriptedRandom()), [new(new PrefixCacheScorer(index, Settings, SaturationThresholds.Default), 1)]);
        var options = Options.Create(new PickerOptions { PoolName = Pool, ReplicaId = DecisionSharingFixture.ReplicaId });
        var handler = new RoutingDecisionHandler(
            new ReplicaIdentity(options, _pool), new FixedProfileSource(profile), _pool, new PickerMetrics(_services.GetRequiredService<IMeterFactory>()));
        return new PeerReplica(time, index, handler);
    }

    private sealed record PeerReplica(FakeTimeProvider Time, PrefixCacheIndex Index, RoutingDecisionHandler Handler);

    private sealed record SharedDecision(string Endpoint, int BlockBytes, int[] Hashes)
    {
        public override string ToString() => $"{Endpoint}/{BlockBytes}:[{string.Join(',', Hashes)}]";
    }

    private sealed record PublishedBatch(string Pool, string Replica, DateTimeOffset At, SharedDecision[] Decisions)
    {
        public RoutingDecisionBatch Batch() => new(
            Pool, Replica, At, [.. Decisions.Select(d => new RoutingDecision(d.Endpoint, d.BlockBytes, RoutingDecision.EncodeHashes([.. d.Hashes.Select(h => (ulong)h)])))]);

        public override string ToString() => $"{Replica}@{Pool} +{(At - Start).TotalSeconds}s {{{string.Join(' ', Decisions.Select(d => d.ToString()))}}}";
    }
}
