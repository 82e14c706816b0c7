using Microsoft.Extensions.Logging;

namespace Suite.Kubernetes.Tests.Support;

/// <summary>Keeps every log record and lets a test await a given one, e.g. the moment a retry delay is scheduled.</summary>
internal sealed class RecordingLogger : ILogger
{
    private readonly Lock _gate = new();
    private readonly List<LogRecord> _records = [];
    private TaskCompletionSource _logged = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var record = new LogRecord(logLevel, eventId, formatter(state, exception), state as IReadOnlyList<KeyValuePair<string, object?>> ?? [], exception);
        TaskCompletionSource logged;
        lock (_gate)
        {
            _records.Add(record);
            logged = _logged;
            _logged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        logged.TrySetResult();
    }

    public IReadOnlyList<LogRecord> Named(string eventName)
    {
        lock (_gate)
        {
            return [.. _records.Where(r => r.EventId.Name == eventName)];
        }
    }

    private string Names()
    {
        lock (_gate)
        {
            return string.Join(", ", _records.Select(r => r.EventId.Name));
        }
    }

    /// <summary>Waits for the <paramref name="occurrence"/>-th record (from 1) of the event named after its log method.</summary>
    public async Task<LogRecord> WaitForAsync(string eventName, int occurrence = 1)
    {
        using var timeout = new CancellationTokenSource(Wait.Timeout);
        while (true)
        {
            Task logged;
            lock (_gate)
            {
                var matching = _records.Where(r => r.EventId.Name == eventName).ToList();
                if (matching.Count >= occurrence)
                {
                    return matching[occurrence - 1];
                }

                logged = _logged.Task;
            }

            try
            {
                await logged.WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                throw new TimeoutException($"No log '{eventName}' #{occurrence} within {Wait.Timeout.TotalSeconds} s; logged: {Names()}.");
            }
        }
    }
}
