namespace Suite.Picker.FunctionalTests.Infrastructure;

/// <summary>Waits for a condition the server reaches asynchronously after it has answered (e.g. releasing accounting).</summary>
internal static class Eventually
{
    public static async Task<bool> TrueAsync(Func<bool> condition, int timeoutMs = 5000)
    {
        var deadline = Environment.TickCount64 + timeoutMs;
        while (!condition())
        {
            if (Environment.TickCount64 > deadline)
            {
                return false;
            }

            await Task.Delay(5);
        }

        return true;
    }
}
