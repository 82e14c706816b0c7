using System.Diagnostics;

namespace Suite.Picker.LoadTest;

/// <summary>
/// The requests of one open-loop run: request i is due at <see cref="Start"/> + i / rate. The pacer fills in the
/// due times and tasks and publishes how far it got; the interval reporter reads the filled part while the run goes on.
/// A finished request is kept as its timing alone: holding every task until the end would grow the generator's heap
/// by over 100 MB in a ten-minute soak, and its collections would share the cores with the picker.
/// </summary>
internal sealed class RunSchedule
{
    private readonly double _ticksPerRequest;
    private int _started;

    public RunSchedule(double rate, TimeSpan duration)
    {
        var total = Math.Max(1, (int)Math.Round(rate * duration.TotalSeconds));
        Rate = rate;
        Due = new long[total];
        Tasks = new Task<ExchangeTiming>?[total];
        Timings = new ExchangeTiming[total];
        _ticksPerRequest = Stopwatch.Frequency / rate;

        // A short lead so the first request is not already late when the pacer thread starts.
        Start = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 100;
    }

    public double Rate { get; }

    public long Start { get; }

    public int Total => Due.Length;

    public long[] Due { get; }

    public Task<ExchangeTiming>?[] Tasks { get; }

    public ExchangeTiming[] Timings { get; }

    /// <summary>How many requests the pacer has started; their <see cref="Due"/> and <see cref="Tasks"/> entries are set.</summary>
    public int Started => Volatile.Read(ref _started);

    public long DueAt(int index) => Start + (long)(index * _ticksPerRequest);

    /// <summary>Called by the pacer after setting entry <paramref name="index"/>; one volatile write, no allocation.</summary>
    public void MarkStarted(int index) => Volatile.Write(ref _started, index + 1);

    /// <summary>Waits for a started request to finish, keeps its timing and lets its task go.</summary>
    public ExchangeTiming Collect(int index)
    {
        if (Tasks[index] is { } task)
        {
            Timings[index] = task.Result;
            Tasks[index] = null;
        }

        return Timings[index];
    }

    /// <summary>The first request due at or after <paramref name="timestamp"/>; <see cref="Total"/> when none is.</summary>
    public int FirstDueAtOrAfter(long timestamp)
    {
        var index = (int)Math.Clamp(Math.Ceiling((timestamp - Start) / _ticksPerRequest), 0, Total);

        // The estimate can be one off either way because DueAt truncates.
        while (index > 0 && DueAt(index - 1) >= timestamp)
        {
            index--;
        }

        while (index < Total && DueAt(index) < timestamp)
        {
            index++;
        }

        return index;
    }
}
