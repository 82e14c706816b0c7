using System.Text.Json;
using CsCheck;
using Microsoft.Extensions.DependencyInjection;
using Suite.Contracts.Pools;
using Suite.Contracts.Serialization;
using Suite.Picker.FunctionalTests.Infrastructure;
using Suite.Picker.Pools;
using Suite.Tests.Shared;

namespace Suite.Picker.FunctionalTests.PoolState;

/// <summary>
/// The <c>pod-state</c> route under an at-least-once bus (CsCheck, shrinking): whatever duplicates, reordering and
/// late redeliveries the sidecar POSTs, the picker acknowledges every one with SUCCESS and ends holding exactly what
/// in-order, once-only delivery gives: its own pool's highest version, other pools' snapshots ignored.
/// </summary>
public sealed class PodStateDeliveryPropertyTests : IDisposable
{
    private const string OwnPool = "chat-pool";
    private const string OtherPool = "batch-pool";

    // Versions within one sample stay below this; each sample starts above the last, since the store outlives it.
    private const long EpochSize = 1_000;

    private readonly PickerFactory _picker = new PickerFactory().With("Picker:PoolName", OwnPool);
    private readonly HttpClient _app;
    private readonly DaprSidecar _sidecar;
    private long _epoch;

    public PodStateDeliveryPropertyTests()
    {
        _app = _picker.CreateClient();
        _app.BaseAddress = new Uri("http://localhost:9090");
        _sidecar = new DaprSidecar(_app);
    }

    [Fact]
    public async Task PodState_DuplicatedReorderedAndRedelivered_EveryDeliveryAcknowledged_HoldsTheOwnPoolsHighestVersion()
    {
        var events = Gen.Select(Events(OwnPool, min: 1), Events(OtherPool, min: 0), (own, other) => (PodStateEvent[])[.. own, .. other]);

        await Redelivery.Of(events).SampleAsync(async (published, plan) =>
        {
            var epoch = _epoch += EpochSize;
            var answers = new List<string>();
            foreach (var i in plan)
            {
                var data = JsonSerializer.Serialize(published[i].Snapshot(epoch), ContractsJsonContext.Default.PoolSnapshot);
                answers.Add(await _sidecar.DeliverAsync("pod-state", $"{epoch}-{i}", data));
            }

            var newest = published.Where(e => e.Pool == OwnPool).MaxBy(e => e.Version)!;
            var held = _picker.Services.GetRequiredService<PoolStateStore>().Current!;
            Assert.Equal(Enumerable.Repeat(DaprSidecar.Success, plan.Length), answers);
            Assert.Equal(epoch + newest.Version, held.Version);
            Assert.Equal(newest.Waiting, held.Endpoints.Select(endpoint => endpoint.Metrics.WaitingRequests));
        }, iter: 40, threads: 1);
    }

    public void Dispose()
    {
        _app.Dispose();
        _picker.Dispose();
    }

    /// <summary>One pool's snapshots in publish order: versions rising by 1 to 3 (a skipped round leaves a gap).</summary>
    private static Gen<PodStateEvent[]> Events(string pool, int min) =>
        Gen.Select(Gen.Int[1, 3], Gen.Int[0, 9].Array[0, 3], (gap, waiting) => (gap, waiting)).Array[min, 5].Select(steps =>
        {
            var version = 0L;
            return steps.Select(step => new PodStateEvent(pool, version += step.gap, step.waiting)).ToArray();
        });

    /// <summary>A snapshot reduced to what tells it apart: one endpoint per waiting count.</summary>
    private sealed record PodStateEvent(string Pool, long Version, int[] Waiting)
    {
        public PoolSnapshot Snapshot(long epoch) => new(
            Pool,
            epoch + Version,
            DateTimeOffset.UtcNow,
            [.. Waiting.Select((waiting, i) => PickerFactory.Endpoint($"10.0.0.{i + 1}:8000", waiting: waiting))]);

        public override string ToString() => $"{Pool} v{Version} [{string.Join(',', Waiting)}]";
    }
}
