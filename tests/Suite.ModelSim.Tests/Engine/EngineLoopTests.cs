using Microsoft.Extensions.Time.Testing;
using Suite.ModelSim.Engine;
using Suite.ModelSim.Faults;

namespace Suite.ModelSim.Tests.Engine;

public class EngineLoopTests
{
    // Steps of 21 ms and 20.1 ms: long enough that even ten times faster they wait on a timer (1 ms resolution).
    private static readonly EngineProfile SlowSteps = EngineDriver.SmallProfile with { StepOverheadMs = 20 };

    [Theory]
    [InlineData(1.0)]
    [InlineData(10.0)]
    public async Task Loop_PacesStepsByTheirDurationOnTheClock(double speedup)
    {
        using var time = new TimerSignallingTimeProvider();
        await using var loop = new EngineLoop(new EngineCore(SlowSteps, new AdapterSlots(1)), time, speedup, new FaultSettings());
        loop.Start();
        var stream = new TokenStream();
        var prompt = PromptTokens.FromText(EngineDriver.Text(100, seed: 1), null, 4, 16);

        Assert.True(loop.TrySubmit(new Sequence(1, prompt, null, 2, FinishReason.Length, stream)));
        await time.NextTimerAsync();
        time.Advance(TimeSpan.FromMilliseconds(21.005 / speedup));
        var first = await stream.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        await time.NextTimerAsync();
        time.Advance(TimeSpan.FromMilliseconds(20.10505 / speedup));
        var second = await stream.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        // Event times are simulated time: the same whatever the speed-up.
        Assert.Equal(21.005, first.At.TotalMilliseconds, 0.001);
        Assert.Equal(21.005 + 20.10505, second.At.TotalMilliseconds, 0.001);
    }

    [Fact]
    public async Task Loop_TimerFiresLate_NextStepIsShortenedSoBusyStepsKeepTheirAverage()
    {
        using var time = new TimerSignallingTimeProvider();
        await using var loop = new EngineLoop(new EngineCore(SlowSteps, new AdapterSlots(1)), time, 1, new FaultSettings());
        loop.Start();
        var stream = new TokenStream();
        var prompt = PromptTokens.FromText(EngineDriver.Text(100, seed: 1), null, 4, 16);
        loop.TrySubmit(new Sequence(1, prompt, null, 3, FinishReason.Length, stream));

        await time.NextTimerAsync();
        time.Advance(TimeSpan.FromMilliseconds(21.005 + 5)); // the first step's timer fires 5 ms late
        await stream.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        await time.NextTimerAsync();
        time.Advance(TimeSpan.FromMilliseconds(20.10505 - 5)); // so the second is due 5 ms sooner
        var second = await stream.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(21.005 + 20.10505, second.At.TotalMilliseconds, 0.001);
    }

    [Fact]
    public async Task Loop_Paused_HoldsRequestsUntilResumed()
    {
        using var time = new TimerSignallingTimeProvider();
        await using var loop = new EngineLoop(
            new EngineCore(SlowSteps, new AdapterSlots(1)), time, 1, new FaultSettings { Paused = true });
        loop.Start();
        var stream = new TokenStream();
        var prompt = PromptTokens.FromText(EngineDriver.Text(100, seed: 1), null, 4, 16);
        loop.TrySubmit(new Sequence(1, prompt, null, 1, FinishReason.Length, stream));

        var waitingWhilePaused = loop.Read(core => (core.WaitingCount, core.StepInProgress));
        loop.Faults = new FaultSettings();
        await time.NextTimerAsync();
        time.Advance(TimeSpan.FromMilliseconds(21.005));
        var token = await stream.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal((1, false), waitingWhilePaused);
        Assert.Equal(0, token.OutputIndex);
    }

    /// <summary>A fake clock that tells the test when the loop starts waiting, so time is advanced only then.</summary>
    private sealed class TimerSignallingTimeProvider : TimeProvider, IDisposable
    {
        private readonly FakeTimeProvider _fake = new();
        private readonly SemaphoreSlim _timers = new(0);

        public override long TimestampFrequency => _fake.TimestampFrequency;

        public override long GetTimestamp() => _fake.GetTimestamp();

        public override DateTimeOffset GetUtcNow() => _fake.GetUtcNow();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = _fake.CreateTimer(callback, state, dueTime, period);
            _timers.Release();
            return timer;
        }

        public Task NextTimerAsync() => _timers.WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(t => Assert.True(t.Result, "the loop never waited"), TaskScheduler.Default);

        public void Advance(TimeSpan by) => _fake.Advance(by);

        public void Dispose() => _timers.Dispose();
    }
}
