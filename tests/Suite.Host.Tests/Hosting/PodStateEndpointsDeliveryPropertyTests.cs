using CsCheck;
using Microsoft.Extensions.Logging.Abstractions;
using Suite.Contracts.Messaging;
using Suite.Contracts.Pools;
using Suite.Host.Gateway;
using Suite.Messaging;
using Suite.Messaging.InMemory;
using Suite.Tests.Shared;

namespace Suite.Host.Tests.Hosting;

/// <summary>
/// The endpoints the gateway falls back on, under an at-least-once bus (CsCheck, shrinking): snapshots of three
/// pools, published on the in-process bus with random duplicates, reordering and late redeliveries. Every delivery
/// is acknowledged, and each pool's endpoints are those of its highest version, as after once-only, in-order delivery.
/// </summary>
public sealed class PodStateEndpointsDeliveryPropertyTests
{
    private static readonly string[] Pools = ["chat-pool", "lora-pool", "batch-pool"];

    [Fact]
    public async Task PodState_DuplicatedReorderedAndRedelivered_EveryDeliveryAcknowledged_EndpointsOfTheHighestVersion()
    {
        var events = Gen.Select(Events(0, min: 1), Events(1, min: 0), Events(2, min: 0), (a, b, c) => (PodStateEvent[])[.. a, .. b, .. c]);

        await Redelivery.Of(events).SampleAsync(async (published, plan) =>
        {
            var bus = new InMemoryBus(NullLogger<InMemoryBus>.Instance);
            var endpoints = new PodStateEndpoints();
            var recorder = new AnswerRecorder<PoolSnapshot>(endpoints);
            using var subscription = bus.Subscribe(SuiteTopics.PodState, recorder);
            foreach (var i in plan)
            {
                await bus.PublishAsync(SuiteTopics.PodState, published[i].Snapshot(), CancellationToken.None);
            }

            Assert.Equal(Enumerable.Repeat(DeliveryResult.Success, plan.Length), recorder.Answers);
            foreach (var pool in Pools)
            {
                var newest = published.Where(e => e.Pool == pool).MaxBy(e => e.Version);
                var expected = newest?.Addresses() ?? [];
                Assert.Equal(expected, endpoints.EndpointsOf(pool));
                Assert.Equal(expected.Select(address => (address, newest!.Version)), endpoints.Latest(pool).Select(e => (e.Address, (long)e.Metrics.WaitingRequests)));
            }
        }, iter: 300, threads: 1);
    }

    /// <summary>One pool's snapshots in publish order: versions rising by 1 to 3, each with some of five pods.</summary>
    private static Gen<PodStateEvent[]> Events(int pool, int min) =>
        Gen.Select(Gen.Int[1, 3], Gen.Int[1, 5].Array[0, 3], (gap, pods) => (gap, pods)).Array[min, 5].Select(steps =>
        {
            var version = 0L;
            return steps.Select(step => new PodStateEvent(Pools[pool], version += step.gap, step.pods)).ToArray();
        });

    /// <summary>A snapshot whose pods are numbered; each pod's waiting count is the version, so the snapshot can be told apart.</summary>
    private sealed record PodStateEvent(string Pool, long Version, int[] Pods)
    {
        public string[] Addresses() => [.. Pods.Select(pod => $"10.0.0.{pod}:8000")];

        public PoolSnapshot Snapshot() => new(
            Pool,
            Version,
            DateTimeOffset.UnixEpoch,
            [.. Addresses().Select(address => new EndpointSnapshot(address, "pod", "llama", new EndpointMetrics((int)Version, 0, 0, [], [], 0, null)))]);

        public override string ToString() => $"{Pool} v{Version} [{string.Join(',', Pods)}]";
    }
}
