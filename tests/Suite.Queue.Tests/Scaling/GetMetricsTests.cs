using Suite.Contracts.Keda;
using static Suite.Queue.Tests.Scaling.ScalerHost;

namespace Suite.Queue.Tests.Scaling;

public sealed class GetMetricsTests : ScalerTests
{
    [Fact]
    public async Task GetMetrics_PoolTrigger_EverythingWaitingForThePool()
    {
        Source.Set("chat-pool", 1, ("llama", 0, 4), ("sql-lora", -1, 3));

        var response = await Scaler.GetMetricsAsync(Request("queue-depth-chat-pool", ("pool", "chat-pool")));

        Assert.Equal(new MetricValue { MetricName = "queue-depth-chat-pool", MetricValue_ = 7, MetricValueFloat = 7 }, Assert.Single(response.MetricValues));
    }

    [Fact]
    public async Task GetMetrics_ModelTrigger_OnlyThatModelsRequests()
    {
        Source.Set("chat-pool", 1, ("llama", 0, 4), ("sql-lora", -1, 3), ("sql-lora", 1, 1));

        var response = await Scaler.GetMetricsAsync(
            Request("queue-depth-chat-pool-sql-lora", ("pool", "chat-pool"), ("model", "sql-lora")));

        Assert.Equal(
            new MetricValue { MetricName = "queue-depth-chat-pool-sql-lora", MetricValue_ = 4, MetricValueFloat = 4 },
            Assert.Single(response.MetricValues));
    }

    [Fact]
    public async Task GetMetrics_ModelWithNothingWaiting_Zero()
    {
        Source.Set("chat-pool", 1, ("llama", 0, 4));

        var response = await Scaler.GetMetricsAsync(
            Request("queue-depth-chat-pool-sql-lora", ("pool", "chat-pool"), ("model", "sql-lora")));

        Assert.Equal(
            new MetricValue { MetricName = "queue-depth-chat-pool-sql-lora", MetricValue_ = 0, MetricValueFloat = 0 },
            Assert.Single(response.MetricValues));
    }

    [Theory]
    [InlineData(1.25, 1250)]
    [InlineData(0.6, 600)]
    [InlineData(0.0, 0)]
    public async Task GetMetrics_Saturation_FloatAndThousandths(double saturation, long thousandths)
    {
        Source.Set("chat-pool", saturation, ("llama", 0, 9));

        var response = await Scaler.GetMetricsAsync(Request("saturation-chat-pool", ("pool", "chat-pool"), ("metric", "saturation")));

        Assert.Equal(
            new MetricValue { MetricName = "saturation-chat-pool", MetricValue_ = thousandths, MetricValueFloat = saturation },
            Assert.Single(response.MetricValues));
    }

    [Fact]
    public async Task GetMetrics_UnknownPool_Zero()
    {
        Source.Set("chat-pool", 1, ("llama", 0, 4));

        var response = await Scaler.GetMetricsAsync(Request("saturation-batch-pool", ("pool", "batch-pool"), ("metric", "saturation")));

        Assert.Equal(new MetricValue { MetricName = "saturation-batch-pool", MetricValue_ = 0, MetricValueFloat = 0 }, Assert.Single(response.MetricValues));
    }

    /// <summary>As KEDA asks: the trigger, and the metric name without its "s0-" prefix.</summary>
    private static GetMetricsRequest Request(string metricName, params (string Key, string Value)[] metadata) =>
        new() { ScaledObjectRef = Trigger(metadata), MetricName = metricName };
}
