using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Suite.Contracts.Flow;
using Suite.Contracts.Messaging;
using Suite.Queue.Pressure;

namespace Suite.Queue.Tests.Pressure;

/// <summary>One pass at a time on a fake clock (what is published when), then the running service (what wakes it).</summary>
public sealed class PoolPressurePublisherTests : IDisposable
{
    // 2026-11-23T09:00Z in microseconds since the Unix epoch.
    private const long StartVersion = 1_795_424_400_000_000;

    private readonly FakeTimeProvider _time = new(FakePoolPressureSource.Start);
    private readonly FakePoolPressureSource _source = new();
    private readonly RecordingEventPublisher _bus = new();
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly PoolPressurePublisher _publisher;

    public PoolPressurePublisherTests()
    {
        var metrics = new PoolPressureMetrics(_services.GetRequiredService<IMeterFactory>(), _source);
        _publisher = new PoolPressurePublisher(
            _source, _bus, metrics, Options.Create(new PoolPressureOptions()), _time, NullLogger<PoolPressurePublisher>.Instance);
    }

    [Fact]
    public async Task FirstPass_EveryPoolPublishedWithItsFigures()
    {
        _source.Set("chat-pool", 1.25, ("llama", 0, 2), ("sql-lora", -1, 1), ("llama", 1, 1));
        _source.Set("batch-pool", 0.25);

        var next = await PassAsync(TimeSpan.Zero);

        Assert.Equal([SuiteTopics.PoolPressure, SuiteTopics.PoolPressure], _bus.Topics);
        Assert.Equal(
            [
                "batch-pool saturation=0.25 depth=0 models=[] bands=[] at=09:00:00.000 version=1795424400000000",
                "chat-pool saturation=1.25 depth=4 models=[llama=3,sql-lora=1] bands=[-1=1,0=2,1=1] at=09:00:00.000 version=1795424400000000",
            ],
            _bus.Events.Select(Describe));
        Assert.Equal(FakePoolPressureSource.Start.AddSeconds(30), next); // nothing changed: the heartbeat is next
    }

    [Fact]
    public async Task ChangesWithinTheInterval_HeldBackThenOneEventWithTheLatestFigures()
    {
        _source.Set("chat-pool", 0.5, ("llama", 0, 1));
        await PassAsync(TimeSpan.Zero);
        _bus.Clear();

        _source.Set("chat-pool", 1, ("llama", 0, 2));
        var afterFirstChange = await PassAsync(TimeSpan.FromMilliseconds(300));
        _source.Set("chat-pool", 1, ("llama", 0, 4));
        var afterSecondChange = await PassAsync(TimeSpan.FromMilliseconds(400));
        var heldBack = _bus.Events.Count;
        await PassAsync(TimeSpan.FromMilliseconds(300));

        Assert.Equal(0, heldBack);
        Assert.Equal(FakePoolPressureSource.Start.AddSeconds(1), afterFirstChange); // one interval after the last event
        Assert.Equal(FakePoolPressureSource.Start.AddSeconds(1), afterSecondChange);
        Assert.Equal(
            "chat-pool saturation=1 depth=4 models=[llama=4] bands=[0=4] at=09:00:01.000 version=1795424401000000",
            Describe(Assert.Single(_bus.Events)));
    }

    [Fact]
    public async Task RequestsStartWaiting_PublishedAtOnceEvenWithinTheInterval()
    {
        _source.Set("chat-pool", 0.9);
        await PassAsync(TimeSpan.Zero);
        _bus.Clear();

        _source.Set("chat-pool", 1, ("llama", 0, 2));
        await PassAsync(TimeSpan.FromMilliseconds(100));

        Assert.Equal(2, Assert.Single(_bus.Events).QueueDepth);
    }

    [Fact]
    public async Task ChangeAfterAQuietInterval_PublishedInTheSamePass()
    {
        _source.Set("chat-pool", 0.5);
        await PassAsync(TimeSpan.Zero);
        _bus.Clear();

        _source.Set("chat-pool", 0.5, ("llama", 0, 1));
        await PassAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(
            "chat-pool saturation=0.5 depth=1 models=[llama=1] bands=[0=1] at=09:00:05.000 version=1795424405000000",
            Describe(Assert.Single(_bus.Events)));
    }

    [Fact]
    public async Task SaturationDriftBelowTheStep_NotPublishedUntilTheHeartbeat()
    {
        _source.Set("chat-pool", 0.50);
        await PassAsync(TimeSpan.Zero);
        _bus.Clear();

        _source.Set("chat-pool", 0.53);
        var next = await PassAsync(TimeSpan.FromSeconds(5));
        var heldBack = _bus.Events.Count;
        await PassAsync(TimeSpan.FromSeconds(25));

        Assert.Equal((0, FakePoolPressureSource.Start.AddSeconds(30)), (heldBack, next));
        Assert.Equal(0.53, Assert.Single(_bus.Events).Saturation);
    }

    [Fact]
    public async Task SaturationDrift_MeasuredFromTheLastEvent_SmallStepsAddUp()
    {
        _source.Set("chat-pool", 0.50);
        await PassAsync(TimeSpan.Zero);
        _bus.Clear();

        _source.Set("chat-pool", 0.53);
        await PassAsync(TimeSpan.FromSeconds(2));
        _source.Set("chat-pool", 0.55);
        await PassAsync(TimeSpan.FromSeconds(2));

        Assert.Equal("chat-pool 0.55 at=09:00:04.000", Brief(Assert.Single(_bus.Events)));
    }

    [Fact]
    public async Task SaturationCrossesOne_PublishedThoughTheStepIsSmall()
    {
        _source.Set("chat-pool", 0.98);
        await PassAsync(TimeSpan.Zero);
        _bus.Clear();

        _source.Set("chat-pool", 1.0);
        await PassAsync(TimeSpan.FromSeconds(2));

        Assert.Equal("chat-pool 1 at=09:00:02.000", Brief(Assert.Single(_bus.Events)));
    }

    [Fact]
    public async Task WaitingMovesToAnotherModelAndBand_SameDepth_Published()
    {
        _source.Set("chat-pool", 1, ("llama", 0, 1));
        await PassAsync(TimeSpan.Zero);
        _bus.Clear();

        _source.Set("chat-pool", 1, ("sql-lora", -1, 1));
        await PassAsync(TimeSpan.FromSeconds(2));

        Assert.Equal(
            "chat-pool saturation=1 depth=1 models=[sql-lora=1] bands=[-1=1] at=09:00:02.000 version=1795424402000000",
            Describe(Assert.Single(_bus.Events)));
    }

    [Fact]
    public async Task QuietPool_PublishedAgainEveryHeartbeat()
    {
        _source.Set("chat-pool", 0.5);
        await PassAsync(TimeSpan.Zero);
        _bus.Clear();

        var early = await PassAsync(TimeSpan.FromSeconds(30) - TimeSpan.FromMilliseconds(1));
        var heldBack = _bus.Events.Count;
        var next = await PassAsync(TimeSpan.FromMilliseconds(1));

        Assert.Equal((0, FakePoolPressureSource.Start.AddSeconds(30)), (heldBack, early));
        Assert.Equal("chat-pool saturation=0.5 depth=0 models=[] bands=[] at=09:00:30.000 version=1795424430000000", Describe(Assert.Single(_bus.Events)));
        Assert.Equal(FakePoolPressureSource.Start.AddSeconds(60), next);
    }

    [Fact]
    public async Task FailedPublish_TriedAgainAfterTheIntervalNotBefore()
    {
        _source.Set("chat-pool", 1, ("llama", 0, 2));
        _bus.Failing = true;
        var retryAt = await PassAsync(TimeSpan.Zero);
        _bus.Failing = false;

        await PassAsync(TimeSpan.FromMilliseconds(500));
        var tooEarly = _bus.Events.Count;
        await PassAsync(TimeSpan.FromMilliseconds(500));

        Assert.Equal((FakePoolPressureSource.Start.AddSeconds(1), 0), (retryAt, tooEarly));
        var retried = Assert.Single(_bus.Events);
        Assert.Equal((2, StartVersion + 1_000_000), (retried.QueueDepth, retried.Version));
    }

    [Fact]
    public async Task Running_PublishesEveryPoolAtStartThenAChangeOnceTheIntervalEnds()
    {
        // One request waits from the start: a queue growing from zero would be news at once, not at the interval's end.
        _source.Set("chat-pool", 0.5, ("llama", 0, 1));
        await _publisher.StartAsync(CancellationToken.None);
        var first = await _bus.NextAsync();

        _source.Set("chat-pool", 1, ("llama", 0, 3));
        _time.Advance(TimeSpan.FromSeconds(1));
        var second = await _bus.NextAsync();

        Assert.Equal("chat-pool 0.5 at=09:00:00.000", Brief(first));
        Assert.Equal("chat-pool saturation=1 depth=3 models=[llama=3] bands=[0=3] at=09:00:01.000 version=1795424401000000", Describe(second));
    }

    [Fact]
    public async Task Running_QuietPool_HeartbeatOnTheClock()
    {
        _source.Set("chat-pool", 0.5);
        await _publisher.StartAsync(CancellationToken.None);
        await _bus.NextAsync();

        _time.Advance(TimeSpan.FromSeconds(30));
        var heartbeat = await _bus.NextAsync();

        Assert.Equal((FakePoolPressureSource.Start.AddSeconds(30), StartVersion + 30_000_000), (heartbeat.At, heartbeat.Version));
    }

    [Fact]
    public async Task Stopped_LetsGoOfThePressureSource()
    {
        _source.Set("chat-pool", 0.5);
        await _publisher.StartAsync(CancellationToken.None);
        await _bus.NextAsync();
        var whileRunning = _source.Subscribers;

        await _publisher.StopAsync(CancellationToken.None);

        Assert.Equal((1, 0), (whileRunning, _source.Subscribers));
    }

    public void Dispose()
    {
        _publisher.Dispose();
        _services.Dispose();
    }

    private async Task<DateTimeOffset> PassAsync(TimeSpan after)
    {
        _time.Advance(after);
        return await _publisher.PublishDueAsync(CancellationToken.None);
    }

    private static string Brief(PoolPressureEvent e) => FormattableString.Invariant($"{e.Pool} {e.Saturation} at={e.At:HH:mm:ss.fff}");

    private static string Describe(PoolPressureEvent e) => FormattableString.Invariant(
        $"{e.Pool} saturation={e.Saturation} depth={e.QueueDepth} models=[{string.Join(',', e.DepthByModel.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"))}] bands=[{string.Join(',', e.DepthByBand.OrderBy(p => p.Key).Select(p => FormattableString.Invariant($"{p.Key}={p.Value}")))}] at={e.At:HH:mm:ss.fff} version={e.Version}");
}
