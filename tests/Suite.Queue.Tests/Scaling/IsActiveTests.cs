using static Suite.Queue.Tests.Scaling.ScalerHost;

namespace Suite.Queue.Tests.Scaling;

public sealed class IsActiveTests : ScalerTests
{
    [Fact]
    public async Task IsActive_NothingWaiting_False()
    {
        Source.Set("chat-pool", 0.5);

        var response = await Scaler.IsActiveAsync(Trigger(("pool", "chat-pool")));

        Assert.False(response.Result);
    }

    [Fact]
    public async Task IsActive_RequestsWaitingForAPoolWithoutPods_True()
    {
        Source.Set("chat-pool", 1, ("llama", 0, 1)); // no pods: saturated by definition, and what is sent waits

        var response = await Scaler.IsActiveAsync(Trigger(("pool", "chat-pool")));

        Assert.True(response.Result);
    }

    [Fact]
    public async Task IsActive_SaturatedButNothingWaiting_QueueDepthTrigger_False()
    {
        Source.Set("chat-pool", 1); // e.g. scaled to zero and idle: it must be allowed to stay there

        var response = await Scaler.IsActiveAsync(Trigger(("pool", "chat-pool"), ("metric", "queueDepth")));

        Assert.False(response.Result);
    }

    [Fact]
    public async Task IsActive_SaturatedAndNothingWaiting_SaturationTrigger_True()
    {
        Source.Set("chat-pool", 1);

        var response = await Scaler.IsActiveAsync(Trigger(("pool", "chat-pool"), ("metric", "saturation")));

        Assert.True(response.Result);
    }

    [Theory]
    [InlineData(0.99, "1.0", false)]
    [InlineData(0.99, "0.9", true)]
    [InlineData(0.9, "0.9", true)]
    [InlineData(0.0, "0", true)]
    public async Task IsActive_SaturationTrigger_ActiveFromTheActivationSaturationOn(double saturation, string activation, bool expected)
    {
        Source.Set("chat-pool", saturation);

        var response = await Scaler.IsActiveAsync(
            Trigger(("pool", "chat-pool"), ("metric", "saturation"), ("activationSaturation", activation)));

        Assert.Equal(expected, response.Result);
    }

    [Theory]
    [InlineData(3, false)]
    [InlineData(4, true)]
    public async Task IsActive_ActivationQueueDepth_ActiveOnlyAboveIt(int waiting, bool expected)
    {
        Source.Set("chat-pool", 1, ("llama", 0, waiting));

        var response = await Scaler.IsActiveAsync(Trigger(("pool", "chat-pool"), ("activationQueueDepth", "3")));

        Assert.Equal(expected, response.Result);
    }

    [Fact]
    public async Task IsActive_ModelTrigger_OnlyThatModelsRequestsCount()
    {
        Source.Set("chat-pool", 1, ("sql-lora", 0, 5));

        var idle = await Scaler.IsActiveAsync(Trigger(("pool", "chat-pool"), ("model", "llama")));
        var busy = await Scaler.IsActiveAsync(Trigger(("pool", "chat-pool"), ("model", "sql-lora")));

        Assert.Equal((false, true), (idle.Result, busy.Result));
    }

    [Fact]
    public async Task IsActive_UnknownPool_False()
    {
        Source.Set("chat-pool", 1, ("llama", 0, 5));

        var response = await Scaler.IsActiveAsync(Trigger(("pool", "batch-pool"), ("metric", "saturation")));

        Assert.False(response.Result);
    }
}
