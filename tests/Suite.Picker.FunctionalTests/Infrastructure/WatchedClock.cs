using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace Suite.Picker.FunctionalTests.Infrastructure;

/// <summary>
/// A fake clock that says when a timer of one due time is created, so a test advances the clock only after the
/// picker has armed the timer it means to fire (the picker arms it on a server thread, out of the test's sight).
/// </summary>
public sealed class WatchedClock(TimeSpan watchedDueTime) : FakeTimeProvider(DateTimeOffset.UtcNow)
{
    private readonly Channel<TimeSpan> _armed = Channel.CreateUnbounded<TimeSpan>();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        if (dueTime == watchedDueTime)
        {
            _armed.Writer.TryWrite(dueTime);
        }

        return timer;
    }

    /// <summary>Waits (in real time, at most 10 s) for the next timer with the watched due time.</summary>
    public async Task WaitForTimerAsync()
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _armed.Reader.ReadAsync(patience.Token);
    }
}
