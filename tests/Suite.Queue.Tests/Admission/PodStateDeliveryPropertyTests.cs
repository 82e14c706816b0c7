using System.Globalization;
using System.Text.Json;
using CsCheck;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Suite.Contracts.Catalog;
using Suite.Contracts.Flow;
using Suite.Contracts.Pools;
using Suite.Contracts.Serialization;
using Suite.Queue.Admission;
using Suite.Queue.Hosting;
using Suite.Tests.Shared;

namespace Suite.Queue.Tests.Admission;

/// <summary>
/// The queue's <c>pod-state</c> route under an at-least-once bus (CsCheck, shrinking): snapshots of several pools,
/// POSTed as CloudEvents with random duplicates, reordering and late redeliveries. Every delivery is acknowledged
/// with SUCCESS; each pool this shard owns ends with the saturation and release budget that once-only, in-order
/// delivery gives (the same admission answers to the same requests), and pools of the other shard stay unknown.
/// </summary>
public sealed class PodStateDeliveryPropertyTests : IAsyncDisposable
{
    private const int Probes = 8;

    private readonly QueueHost _host = QueueHost.Start(("Messaging:Mode", "Dapr"), ("Queue:ShardCount", "2"), ("Queue:ShardIndex", "0"));
    private readonly HttpClient _app;
    private readonly DaprSidecar _sidecar;
    private int _sample;

    public PodStateDeliveryPropertyTests()
    {
        _app = _host.Factory.CreateClient();
        _app.BaseAddress = new Uri("http://localhost:9090");
        _sidecar = new DaprSidecar(_app);
    }

    [Fact]
    public async Task PodState_SeveralPoolsDuplicatedReorderedAndRedelivered_EveryDeliveryAcknowledged_AdmissionAsOnceInOrder()
    {
        var events = Gen.Select(Events(0, min: 1), Events(1, min: 0), Events(2, min: 0), (a, b, c) => (PodStateEvent[])[.. a, .. b, .. c]);

        await Redelivery.Of(events).SampleAsync(async (published, plan) =>
        {
            // Pool names are new in every sample: the host, and its pools, outlive a sample.
            var sample = ++_sample;
            var now = _host.Time.GetUtcNow();
            var answers = new List<string>();
            foreach (var i in plan)
            {
                var data = JsonSerializer.Serialize(published[i].Snapshot(sample, now), ContractsJsonContext.Default.PoolSnapshot);
                answers.Add(await _sidecar.DeliverAsync("pod-state", $"{sample}-{i}", data));
            }

            Assert.Equal(Enumerable.Repeat(DaprSidecar.Success, plan.Length), answers);
            var options = _host.Factory.Services.GetRequiredService<IOptions<QueueOptions>>().Value;
            foreach (var pool in published.Select(e => e.Pool(sample)).Distinct())
            {
                if (QueueShards.OwnerOf(pool, 2) != 0)
                {
                    Assert.Null(_host.Controller.ForPool(pool));
                    continue;
                }

                var inOrder = new PoolAdmission(pool, options, _host.Time);
                foreach (var e in published.Where(e => e.Pool(sample) == pool))
                {
                    inOrder.OnPoolState(e.Snapshot(sample, now));
                }

                var delivered = _host.Controller.For(pool);
                Assert.Equal(inOrder.Pressure.Saturation, delivered.Pressure.Saturation);
                Assert.Equal(Probe(inOrder), Probe(delivered));
            }
        }, iter: 40, threads: 1);
    }

    public async ValueTask DisposeAsync()
    {
        _app.Dispose();
        await _host.DisposeAsync();
    }

    /// <summary>How the pool answers the same requests in a row: admitted at once (and how many), queued, or shed.</summary>
    private static string[] Probe(PoolAdmission pool) =>
        [.. Enumerable.Range(0, Probes).Select(n =>
        {
            var ticket = pool.Enter(new AdmissionArgs(pool.Pool, $"probe-{n}", Criticality.Standard, null, "tenant", "llama", 100, null));
            return ticket.Decided?.Kind.ToString() ?? "waiting";
        })];

    /// <summary>Pool <paramref name="pool"/>'s snapshots in publish order: versions rising by 1 to 3, up to three pods each.</summary>
    private static Gen<PodStateEvent[]> Events(int pool, int min) =>
        Gen.Select(Gen.Int[1, 3], Gen.Select(Gen.Int[0, 6], Gen.Int[0, 10], Gen.Int[0, 5], (waiting, kv, stale) => new Pod(waiting, kv / 10.0, stale == 0)).Array[0, 3], (gap, pods) => (gap, pods))
            .Array[min, 4]
            .Select(steps =>
            {
                var version = 0L;
                return steps.Select(step => new PodStateEvent(pool, version += step.gap, step.pods)).ToArray();
            });

    private sealed record Pod(int Waiting, double Kv, bool Stale)
    {
        public override string ToString() => $"{Waiting}/{Kv}{(Stale ? " stale" : "")}";
    }

    private sealed record PodStateEvent(int PoolIndex, long Version, Pod[] Pods)
    {
        public string Pool(int sample) => string.Create(CultureInfo.InvariantCulture, $"pool-{sample}-{PoolIndex}");

        public PoolSnapshot Snapshot(int sample, DateTimeOffset measuredAt) => new(
            Pool(sample),
            Version,
            measuredAt,
            [.. Pods.Select((pod, i) => new EndpointSnapshot(
                $"10.0.0.{i + 1}:8000", $"pod-{i}", "llama", new EndpointMetrics(pod.Waiting, 0, pod.Kv, [], [], 0, measuredAt) { Stale = pod.Stale }))]);

        public override string ToString() => $"pool {PoolIndex} v{Version} [{string.Join(", ", Pods.Select(p => p.ToString()))}]";
    }
}
