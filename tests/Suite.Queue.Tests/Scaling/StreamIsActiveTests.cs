using Grpc.Core;
using Suite.Contracts.Keda;
using static Suite.Queue.Tests.Scaling.ScalerHost;

namespace Suite.Queue.Tests.Scaling;

public sealed class StreamIsActiveTests : ScalerTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task StreamIsActive_Opened_CurrentActivityFirst()
    {
        Source.Set("chat-pool", 1, ("llama", 0, 2));
        using var call = Scaler.StreamIsActive(Trigger(("pool", "chat-pool")));

        Assert.True(await NextAsync(call));
    }

    [Fact]
    public async Task StreamIsActive_ActivityFlips_EachFlipPushedOnce()
    {
        Source.Set("chat-pool", 0.5);
        using var call = Scaler.StreamIsActive(Trigger(("pool", "chat-pool")));
        var initial = await NextAsync(call);

        Source.Set("chat-pool", 0.7);                        // still nothing waits: no push
        Source.Set("batch-pool", 1, ("batch", 0, 9));        // another pool: no push
        Source.Set("chat-pool", 1, ("llama", 0, 2));
        var up = await NextAsync(call);
        Source.Set("chat-pool", 1, ("llama", 0, 3));         // still active: no push
        Source.Set("chat-pool", 0.9);
        var down = await NextAsync(call);

        Assert.Equal((false, true, false), (initial, up, down));
    }

    [Fact]
    public async Task StreamIsActive_PoolAppearsAfterTheStreamOpened_Pushed()
    {
        using var call = Scaler.StreamIsActive(Trigger(("pool", "chat-pool")));
        var initial = await NextAsync(call);

        Source.Set("chat-pool", 1, ("llama", 0, 1));

        Assert.Equal((false, true), (initial, await NextAsync(call)));
    }

    [Fact]
    public async Task StreamIsActive_CallCancelled_EndsAndLetsGoOfThePressure()
    {
        Source.Set("chat-pool", 1, ("llama", 0, 2));
        using var cancel = new CancellationTokenSource();
        using var call = Scaler.StreamIsActive(Trigger(("pool", "chat-pool")), cancellationToken: cancel.Token);
        await NextAsync(call);
        Assert.Equal(1, Source.Subscribers);

        await cancel.CancelAsync();

        await Source.Unsubscribed.WaitAsync(Patience);
        Assert.Equal(0, Source.Subscribers);
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext());
        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
    }

    private static async Task<bool> NextAsync(AsyncServerStreamingCall<IsActiveResponse> call)
    {
        Assert.True(await call.ResponseStream.MoveNext().WaitAsync(Patience));
        return call.ResponseStream.Current.Result;
    }
}
