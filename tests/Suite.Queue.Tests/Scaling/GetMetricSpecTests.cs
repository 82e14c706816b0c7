using Suite.Contracts.Keda;
using static Suite.Queue.Tests.Scaling.ScalerHost;

namespace Suite.Queue.Tests.Scaling;

public sealed class GetMetricSpecTests : ScalerTests
{
    [Fact]
    public async Task GetMetricSpec_Defaults_PoolQueueDepthWithATargetOfFivePerReplica()
    {
        var response = await Scaler.GetMetricSpecAsync(Trigger(("pool", "chat-pool")));

        var spec = Assert.Single(response.MetricSpecs);
        Assert.Equal(new MetricSpec { MetricName = "queue-depth-chat-pool", TargetSize = 5, TargetSizeFloat = 5 }, spec);
    }

    [Fact]
    public async Task GetMetricSpec_FractionalTargetQueueDepth_FloatExactIntegerRounded()
    {
        var response = await Scaler.GetMetricSpecAsync(Trigger(("pool", "chat-pool"), ("targetQueueDepth", "2.5")));

        Assert.Equal(new MetricSpec { MetricName = "queue-depth-chat-pool", TargetSize = 3, TargetSizeFloat = 2.5 }, Assert.Single(response.MetricSpecs));
    }

    [Fact]
    public async Task GetMetricSpec_ModelWithAPlainName_NamedAfterPoolAndModel()
    {
        var response = await Scaler.GetMetricSpecAsync(Trigger(("pool", "chat-pool"), ("model", "sql-lora-v1"), ("targetQueueDepth", "2")));

        Assert.Equal(
            new MetricSpec { MetricName = "queue-depth-chat-pool-sql-lora-v1", TargetSize = 2, TargetSizeFloat = 2 },
            Assert.Single(response.MetricSpecs));
    }

    [Fact]
    public async Task GetMetricSpec_ModelNameHadToChange_LowerCaseDashesAndAHashOfTheOriginal()
    {
        var response = await Scaler.GetMetricSpecAsync(Trigger(("pool", "chat-pool"), ("model", "meta-llama/Llama-3.1-8B-Instruct")));

        // da023618: FNV-1a 32 of "chat-pool", "\0", "meta-llama/Llama-3.1-8B-Instruct", computed outside this code.
        Assert.Equal("queue-depth-chat-pool-meta-llama-llama-3-1-8b-instruct-da023618", Assert.Single(response.MetricSpecs).MetricName);
    }

    [Fact]
    public async Task GetMetricSpec_Saturation_TargetAsFloatAndInThousandths()
    {
        var byDefault = await Scaler.GetMetricSpecAsync(Trigger(("pool", "chat-pool"), ("metric", "saturation")));
        var given = await Scaler.GetMetricSpecAsync(Trigger(("pool", "chat-pool"), ("metric", "saturation"), ("targetSaturation", "0.75")));

        Assert.Equal(new MetricSpec { MetricName = "saturation-chat-pool", TargetSize = 800, TargetSizeFloat = 0.8 }, Assert.Single(byDefault.MetricSpecs));
        Assert.Equal(new MetricSpec { MetricName = "saturation-chat-pool", TargetSize = 750, TargetSizeFloat = 0.75 }, Assert.Single(given.MetricSpecs));
    }

    [Fact]
    public async Task GetMetricSpec_SameTriggerTwice_SameName()
    {
        var first = await Scaler.GetMetricSpecAsync(Trigger(("pool", "chat-pool"), ("model", "Qwen/Qwen2.5-7B")));
        var second = await Scaler.GetMetricSpecAsync(Trigger(("pool", "chat-pool"), ("model", "Qwen/Qwen2.5-7B")));

        Assert.Equal(first.MetricSpecs[0].MetricName, second.MetricSpecs[0].MetricName);
    }
}
