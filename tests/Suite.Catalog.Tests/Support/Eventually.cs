namespace Suite.Catalog.Tests.Support;

/// <summary>Waits, with a deadline, for state that the catalog's background loop reaches on its own thread.</summary>
internal static class Eventually
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    public static async Task AssertAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out after {Timeout.TotalSeconds} s waiting for {what}.");
            }

            await Task.Delay(10);
        }
    }
}
