using Grpc.Core;
using Suite.Contracts.Flow;
using Suite.Contracts.Keda;
using Suite.Queue.Hosting;
using Suite.Queue.Tests.Pressure;
using static Suite.Queue.Tests.Scaling.ScalerHost;

namespace Suite.Queue.Tests.Scaling;

/// <summary>Three queue shards; this host is the one that owns chat-pool (QueueShards decides which that is).</summary>
public sealed class ShardedScalerTests : IAsyncLifetime
{
    private const int Shards = 3;
    private static readonly int ChatPoolShard = QueueShards.OwnerOf("chat-pool", Shards);
    private static readonly string OtherPool = Enumerable.Range(0, 100).Select(i => $"pool-{i}").First(p => QueueShards.OwnerOf(p, Shards) != ChatPoolShard);

    private readonly FakePoolPressureSource _source = new();
    private ScalerHost? _host;

    private ExternalScaler.ExternalScalerClient Scaler => _host!.Client;

    public async Task InitializeAsync() =>
        _host = await StartAsync(_source, new QueueOptions { ShardCount = Shards, ShardIndex = ChatPoolShard });

    [Fact]
    public async Task IsActive_OwnedPool_Answered()
    {
        _source.Set("chat-pool", 1, ("llama", 0, 1));

        var response = await Scaler.IsActiveAsync(Trigger(("pool", "chat-pool")));

        Assert.True(response.Result);
    }

    [Fact]
    public async Task IsActive_PoolOfAnotherShard_FailedPreconditionNamingTheOwner()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Scaler.IsActiveAsync(Trigger(("pool", OtherPool))).ResponseAsync);

        var owner = QueueShards.OwnerOf(OtherPool, Shards);
        Assert.Equal(
            (StatusCode.FailedPrecondition,
                $"Pool {OtherPool} belongs to queue shard {owner} of 3, not to this replica (shard {ChatPoolShard}): the trigger's scalerAddress must reach shard {owner}."),
            (error.StatusCode, error.Status.Detail));
    }

    [Fact]
    public async Task GetMetrics_PoolOfAnotherShard_FailedPrecondition()
    {
        var request = new GetMetricsRequest { ScaledObjectRef = Trigger(("pool", OtherPool)), MetricName = $"queue-depth-{OtherPool}" };

        var error = await Assert.ThrowsAsync<RpcException>(() => Scaler.GetMetricsAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
    }

    [Fact]
    public async Task StreamIsActive_PoolOfAnotherShard_FailedPreconditionWithoutSubscribing()
    {
        using var call = Scaler.StreamIsActive(Trigger(("pool", OtherPool)));

        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext());

        Assert.Equal((StatusCode.FailedPrecondition, 0), (error.StatusCode, _source.Subscribers));
    }

    [Fact]
    public async Task GetMetricSpec_PoolOfAnotherShard_AnsweredSinceItNeedsNoFigures()
    {
        var response = await Scaler.GetMetricSpecAsync(Trigger(("pool", OtherPool)));

        Assert.Equal($"queue-depth-{OtherPool}", Assert.Single(response.MetricSpecs).MetricName);
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}
