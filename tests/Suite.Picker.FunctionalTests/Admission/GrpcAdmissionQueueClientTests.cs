using Grpc.Core;
using Microsoft.Extensions.Options;
using Suite.Contracts.Flow;
using Suite.Contracts.Queue;
using Suite.Picker.Admission;
using Suite.Picker.Hosting;
using static Suite.Picker.FunctionalTests.Admission.FakeQueueServer;

namespace Suite.Picker.FunctionalTests.Admission;

/// <summary>The real gRPC queue client against queue replicas on loopback ports.</summary>
public sealed class GrpcAdmissionQueueClientTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly List<FakeQueueServer> _replicas = [];

    public async Task InitializeAsync()
    {
        for (var i = 0; i < 3; i++)
        {
            _replicas.Add(await StartAsync());
        }
    }

    [Fact]
    public async Task AdmitAsync_ReplicaStreamsUpdates_YieldsThemInOrderAndSendsTheRequest()
    {
        _replicas[0].OnAdmit = async (_, updates, cancelled) =>
        {
            await updates.WriteAsync(Queued(band: -1, depth: 4), cancelled);
            await updates.WriteAsync(Admitted(), cancelled);
        };
        using var client = Client(_replicas[0].Address);
        var request = new AdmitRequest { Pool = "chat-pool", RequestId = "req-1", Criticality = Criticality.Sheddable, SizeBytes = 42 };

        var updates = await ReadAllAsync(client, request);

        Assert.Equal([Queued(band: -1, depth: 4), Admitted()], updates);
        Assert.Equal(request, Assert.Single(_replicas[0].Requests));
    }

    [Fact]
    public async Task AdmitAsync_ThreeReplicas_AsksOnlyTheOneThatOwnsThePool()
    {
        string[] pools = ["chat-pool", "batch-pool", "embed-pool", "code-pool", "vision-pool", "audio-pool"];
        using var client = Client([.. _replicas.Select(replica => replica.Address)]);

        foreach (var pool in pools)
        {
            await ReadAllAsync(client, new AdmitRequest { Pool = pool, RequestId = pool });
        }

        for (var shard = 0; shard < 3; shard++)
        {
            Assert.Equal(
                [.. pools.Where(pool => QueueShards.OwnerOf(pool, 3) == shard)],
                _replicas[shard].Requests.Select(request => request.Pool).ToArray());
        }
    }

    [Fact]
    public async Task AdmitAsync_CancelledWhileQueued_TheReplicaSeesTheCallCancelled()
    {
        _replicas[0].OnAdmit = async (_, updates, cancelled) =>
        {
            await updates.WriteAsync(Queued(), cancelled);
            await Task.Delay(Timeout.Infinite, cancelled);
        };
        using var client = Client(_replicas[0].Address);
        using var withdraw = new CancellationTokenSource();
        await using var call = client.AdmitAsync(new AdmitRequest { Pool = "chat-pool" }, withdraw.Token).GetAsyncEnumerator();

        Assert.True(await call.MoveNextAsync());
        await withdraw.CancelAsync();

        await _replicas[0].CallCancelled.WaitAsync(Patience);
        await Assert.ThrowsAnyAsync<Exception>(async () => await call.MoveNextAsync());
    }

    [Fact]
    public async Task AdmitAsync_NothingListening_ThrowsUnavailable()
    {
        using var client = Client(RefusingAddress());

        var failure = await Assert.ThrowsAsync<RpcException>(() => ReadAllAsync(client, new AdmitRequest { Pool = "chat-pool" }));

        Assert.Equal(StatusCode.Unavailable, failure.StatusCode);
    }

    public async Task DisposeAsync()
    {
        foreach (var replica in _replicas)
        {
            await replica.DisposeAsync();
        }
    }

    private static GrpcAdmissionQueueClient Client(params string[] addresses) =>
        new(Options.Create(new PickerOptions { Queue = { Addresses = addresses } }));

    private static async Task<List<AdmitUpdate>> ReadAllAsync(GrpcAdmissionQueueClient client, AdmitRequest request)
    {
        using var timeout = new CancellationTokenSource(Patience);
        var updates = new List<AdmitUpdate>();
        await foreach (var update in client.AdmitAsync(request, timeout.Token))
        {
            updates.Add(update);
        }

        return updates;
    }
}
