using System.Diagnostics;

namespace Suite.Kubernetes.Tests.Support;

/// <summary>
/// Waits for state that services reach on their own threads, within a bound the test derives from its settings, and
/// says how long it took, so a test can report it.
/// </summary>
internal static class Convergence
{
    public static async Task<TimeSpan> WithinAsync(TimeSpan bound, Func<bool> converged, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!converged())
        {
            if (clock.Elapsed > bound)
            {
                throw new TimeoutException($"Timed out after {bound.TotalMilliseconds:0} ms waiting for {what}.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(5));
        }

        return clock.Elapsed;
    }
}
