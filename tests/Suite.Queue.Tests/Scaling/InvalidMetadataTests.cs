using Grpc.Core;
using Suite.Contracts.Keda;
using static Suite.Queue.Tests.Scaling.ScalerHost;

namespace Suite.Queue.Tests.Scaling;

public sealed class InvalidMetadataTests : ScalerTests
{
    [Theory]
    [InlineData("metric", "latency", "scalerMetadata.metric must be queueDepth or saturation, not \"latency\".")]
    [InlineData("targetQueueDepth", "five", "scalerMetadata.targetQueueDepth must be a number above 0, not \"five\".")]
    [InlineData("targetQueueDepth", "0", "scalerMetadata.targetQueueDepth must be a number above 0, not \"0\".")]
    [InlineData("targetSaturation", "NaN", "scalerMetadata.targetSaturation must be a number above 0, not \"NaN\".")]
    [InlineData("targetSaturation", "80%", "scalerMetadata.targetSaturation must be a number above 0, not \"80%\".")]
    [InlineData("activationQueueDepth", "-1", "scalerMetadata.activationQueueDepth must be a number of 0 or more, not \"-1\".")]
    [InlineData("activationSaturation", "high", "scalerMetadata.activationSaturation must be a number of 0 or more, not \"high\".")]
    public async Task IsActive_BadValue_InvalidArgumentNamingTheKey(string key, string value, string message)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Scaler.IsActiveAsync(Trigger(("pool", "chat-pool"), (key, value))).ResponseAsync);

        Assert.Equal((StatusCode.InvalidArgument, message), (error.StatusCode, error.Status.Detail));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("  ")]
    public async Task IsActive_NoPool_InvalidArgumentNamingTheKey(string? pool)
    {
        var trigger = pool is null ? Trigger() : Trigger(("pool", pool));

        var error = await Assert.ThrowsAsync<RpcException>(() => Scaler.IsActiveAsync(trigger).ResponseAsync);

        Assert.Equal(
            (StatusCode.InvalidArgument, "scalerMetadata.pool is required: the name of the InferencePool whose queue drives this trigger."),
            (error.StatusCode, error.Status.Detail));
    }

    [Fact]
    public async Task GetMetricSpec_ModelWithSaturation_InvalidArgumentNamingTheKey()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            Scaler.GetMetricSpecAsync(Trigger(("pool", "chat-pool"), ("model", "llama"), ("metric", "saturation"))).ResponseAsync);

        Assert.Equal(
            (StatusCode.InvalidArgument, "scalerMetadata.model applies to metric queueDepth only: saturation is the whole pool's."),
            (error.StatusCode, error.Status.Detail));
    }

    [Fact]
    public async Task GetMetrics_BadMetadata_InvalidArgument()
    {
        var request = new GetMetricsRequest { ScaledObjectRef = Trigger(("pool", "chat-pool"), ("targetQueueDepth", "-2")), MetricName = "queue-depth-chat-pool" };

        var error = await Assert.ThrowsAsync<RpcException>(() => Scaler.GetMetricsAsync(request).ResponseAsync);

        Assert.Equal(
            (StatusCode.InvalidArgument, "scalerMetadata.targetQueueDepth must be a number above 0, not \"-2\"."),
            (error.StatusCode, error.Status.Detail));
    }

    [Fact]
    public async Task GetMetrics_NoScaledObjectRef_InvalidArgument()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            Scaler.GetMetricsAsync(new GetMetricsRequest { MetricName = "queue-depth-chat-pool" }).ResponseAsync);

        Assert.Equal((StatusCode.InvalidArgument, "scaledObjectRef is required."), (error.StatusCode, error.Status.Detail));
    }

    [Fact]
    public async Task StreamIsActive_BadMetadata_InvalidArgumentBeforeAnyValue()
    {
        using var call = Scaler.StreamIsActive(Trigger(("pool", "chat-pool"), ("metric", "tokens")));

        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext());

        Assert.Equal(
            (StatusCode.InvalidArgument, "scalerMetadata.metric must be queueDepth or saturation, not \"tokens\"."),
            (error.StatusCode, error.Status.Detail));
        Assert.Equal(0, Source.Subscribers);
    }
}
