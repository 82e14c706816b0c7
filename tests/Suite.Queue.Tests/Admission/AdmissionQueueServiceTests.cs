using Grpc.Core;
using Suite.Contracts.Flow;
using Suite.Contracts.Queue;

namespace Suite.Queue.Tests.Admission;

public sealed class AdmissionQueueServiceTests
{
    [Fact]
    public async Task SaturatedPool_QueuedNotice_ThenAdmittedWhenAPodFrees()
    {
        await using var host = QueueHost.Start();
        var now = host.Time.GetUtcNow();
        host.Controller.OnPoolState(Pools.Snapshot(1, now, (5, 0.1)));
        using var call = host.Client.Admit(Request(Criticality.Standard));

        Assert.True(await call.ResponseStream.MoveNext());
        var queued = call.ResponseStream.Current;
        host.Time.Advance(TimeSpan.FromMilliseconds(250));
        host.Controller.OnPoolState(Pools.Snapshot(2, host.Time.GetUtcNow(), (4, 0.1)));
        Assert.True(await call.ResponseStream.MoveNext());
        var answer = call.ResponseStream.Current;

        Assert.Equal(new AdmitUpdate { Queued = new Queued { Band = FlowBands.Standard, Depth = 1 } }, queued);
        Assert.Equal(TimeSpan.FromMilliseconds(250), answer.Admitted.Waited.ToTimeSpan());
        Assert.False(await call.ResponseStream.MoveNext());
    }

    [Fact]
    public async Task SheddableAtSaturation_RejectedShedAtOnce_ObjectivePriorityDecidesTheBand()
    {
        await using var host = QueueHost.Start();
        host.Controller.OnPoolState(Pools.Snapshot(1, host.Time.GetUtcNow(), (5, 0.1)));

        var shed = await AnswersAsync(host.Client.Admit(Request(Criticality.Sheddable)));
        var negativeObjective = await AnswersAsync(host.Client.Admit(Request(Criticality.Critical, priority: -3)));

        Assert.Equal([AdmitUpdate.OutcomeOneofCase.Rejected], shed.Select(u => u.OutcomeCase));
        Assert.Equal(RejectReason.Shed, shed[0].Rejected.Reason);
        // A Critical request is never shed, even in a negative band: it waits.
        Assert.Equal(new Queued { Band = -3, Depth = 1 }, negativeObjective[0].Queued);
    }

    [Fact]
    public async Task DeadlinePassed_Expired()
    {
        await using var host = QueueHost.Start();
        var now = host.Time.GetUtcNow();
        host.Controller.OnPoolState(Pools.Snapshot(1, now, (5, 0.1)));
        var request = Request(Criticality.Standard);
        request.Deadline = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(now.AddSeconds(3));
        using var call = host.Client.Admit(request);

        Assert.True(await call.ResponseStream.MoveNext());
        host.Time.Advance(TimeSpan.FromSeconds(3));
        Assert.True(await call.ResponseStream.MoveNext());

        Assert.Equal(TimeSpan.FromSeconds(3), call.ResponseStream.Current.Expired.Waited.ToTimeSpan());
    }

    [Fact]
    public async Task CallCancelled_TheRequestLeavesTheQueueAtOnce()
    {
        await using var host = QueueHost.Start();
        host.Controller.OnPoolState(Pools.Snapshot(1, host.Time.GetUtcNow(), (5, 0.1)));
        using var cancel = new CancellationTokenSource();
        using var call = host.Client.Admit(Request(Criticality.Standard), cancellationToken: cancel.Token);
        Assert.True(await call.ResponseStream.MoveNext());
        var depthWhileWaiting = host.Controller.ForPool(Pools.Name)!.QueueDepth;

        await cancel.CancelAsync();

        await WaitForAsync(() => host.Controller.ForPool(Pools.Name)!.QueueDepth == 0);
        Assert.Equal(1, depthWhileWaiting);
    }

    [Fact]
    public async Task PoolOfAnotherShard_RejectedNamingTheOwner()
    {
        var owner = QueueShards.OwnerOf(Pools.Name, 3);
        var notOwner = (owner + 1) % 3;
        await using var host = QueueHost.Start(("Queue:ShardCount", "3"), ("Queue:ShardIndex", notOwner.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        var answers = await AnswersAsync(host.Client.Admit(Request(Criticality.Standard)));

        var rejected = Assert.Single(answers).Rejected;
        Assert.Equal(RejectReason.WrongShard, rejected.Reason);
        Assert.StartsWith($"Pool {Pools.Name} belongs to queue shard {owner} of 3, not to shard {notOwner}", rejected.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoPool_InvalidArgument()
    {
        await using var host = QueueHost.Start();

        var error = await Assert.ThrowsAsync<RpcException>(() => AnswersAsync(host.Client.Admit(new AdmitRequest())));

        Assert.Equal((StatusCode.InvalidArgument, "pool is required."), (error.StatusCode, error.Status.Detail));
    }

    [Fact]
    public void ShardAssignment_StableAndSpread()
    {
        var pools = Enumerable.Range(0, 3000).Select(i => $"pool-{i}").ToArray();
        var three = pools.Select(p => QueueShards.OwnerOf(p, 3)).ToArray();
        var four = pools.Select(p => QueueShards.OwnerOf(p, 4)).ToArray();

        // Every shard gets a fair part, and adding a fourth shard only moves pools onto the new one.
        Assert.All(Enumerable.Range(0, 3), shard => Assert.InRange(three.Count(s => s == shard), 900, 1100));
        Assert.All(Enumerable.Range(0, pools.Length), i => Assert.True(four[i] == three[i] || four[i] == 3, $"{pools[i]} moved from {three[i]} to {four[i]}"));
        Assert.Equal(0, QueueShards.OwnerOf("chat-pool", 1));
    }

    private static AdmitRequest Request(Criticality criticality, int? priority = null)
    {
        var request = new AdmitRequest
        {
            Pool = Pools.Name,
            RequestId = "req-1",
            Criticality = criticality,
            FairnessId = "tenant-a",
            TargetModel = "llama",
            SizeBytes = 1200,
        };
        if (priority is { } value)
        {
            request.Priority = value;
        }

        return request;
    }

    private static async Task<List<AdmitUpdate>> AnswersAsync(AsyncServerStreamingCall<AdmitUpdate> call)
    {
        using (call)
        {
            var answers = new List<AdmitUpdate>();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while (await call.ResponseStream.MoveNext(timeout.Token))
            {
                answers.Add(call.ResponseStream.Current);
                if (call.ResponseStream.Current.OutcomeCase == AdmitUpdate.OutcomeOneofCase.Queued)
                {
                    break; // the rest would wait for capacity
                }
            }

            return answers;
        }
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for the queue");
            await Task.Delay(10);
        }
    }
}
