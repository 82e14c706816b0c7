using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Suite.Picker.LoadTest;

/// <summary>
/// Sleeps until a Stopwatch timestamp with sub-millisecond precision, so the pacer can start requests on
/// schedule without spinning a core the picker needs. Thread.Sleep rounds to whole milliseconds; usleep with
/// the thread's timer slack lowered wakes within tens of microseconds.
/// </summary>
internal static partial class PreciseSleep
{
    private const int PrSetTimerSlack = 29;

    private static bool s_native = OperatingSystem.IsLinux();

    /// <summary>Asks Linux to wake this thread no more than 1 µs late (the default slack is 50 µs).</summary>
    public static void TightenTimerSlackOfThisThread()
    {
        if (!s_native)
        {
            return;
        }

        try
        {
            _ = Prctl(PrSetTimerSlack, 1_000, 0, 0, 0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            s_native = false;
        }
    }

    public static void Until(long timestamp)
    {
        while (true)
        {
            var remaining = timestamp - Stopwatch.GetTimestamp();
            if (remaining <= 0)
            {
                return;
            }

            var microseconds = remaining * 1_000_000 / Stopwatch.Frequency;
            if (s_native)
            {
                try
                {
                    _ = USleep((uint)Math.Min(microseconds, 1_000_000));
                    continue;
                }
                catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
                {
                    s_native = false;
                }
            }

            // Whole milliseconds only; below one, give up the time slice and look again.
            Thread.Sleep((int)(microseconds / 1000));
        }
    }

    [LibraryImport("libc", EntryPoint = "usleep")]
    private static partial int USleep(uint microseconds);

    [LibraryImport("libc", EntryPoint = "prctl")]
    private static partial int Prctl(int option, ulong arg2, ulong arg3, ulong arg4, ulong arg5);
}
