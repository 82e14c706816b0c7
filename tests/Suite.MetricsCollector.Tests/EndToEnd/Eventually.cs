namespace Suite.MetricsCollector.Tests.EndToEnd;

/// <summary>Waits for state that other threads reach (scrape rounds, bus deliveries), with a deadline.</summary>
internal static class Eventually
{
    public static async Task<bool> TrueAsync(Func<bool> condition, int timeoutMs = 10_000)
    {
        var deadline = Environment.TickCount64 + timeoutMs;
        while (!condition())
        {
            if (Environment.TickCount64 > deadline)
            {
                return false;
            }

            await Task.Delay(10);
        }

        return true;
    }
}
