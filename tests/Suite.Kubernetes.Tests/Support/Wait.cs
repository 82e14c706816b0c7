namespace Suite.Kubernetes.Tests.Support;

/// <summary>How long a test waits for something the code under test should do at once; only failures ever wait this long.</summary>
internal static class Wait
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public static async Task ForAsync(Task task, string what)
    {
        try
        {
            await task.WaitAsync(Timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Timed out after {Timeout.TotalSeconds} s waiting for {what}.");
        }
    }

    public static async Task<TResult> ForAsync<TResult>(Task<TResult> task, string what)
    {
        await ForAsync((Task)task, what);
        return await task;
    }

    /// <summary>Polls <paramref name="condition"/> until it holds: for state that changes on real time, e.g. a lease expiring.</summary>
    public static async Task UntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {Timeout.TotalSeconds} s waiting for {what}.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20));
        }
    }
}
