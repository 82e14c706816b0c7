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
}
