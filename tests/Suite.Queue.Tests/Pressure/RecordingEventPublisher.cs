using System.Threading.Channels;
using Suite.Contracts.Flow;
using Suite.Messaging;

namespace Suite.Queue.Tests.Pressure;

/// <summary>Keeps what is published, in order; fails every publish while <see cref="Failing"/> is set.</summary>
internal sealed class RecordingEventPublisher : IEventPublisher
{
    private readonly Lock _lock = new();
    private readonly List<(string Topic, PoolPressureEvent Event)> _published = [];
    private readonly Channel<PoolPressureEvent> _arrivals = Channel.CreateUnbounded<PoolPressureEvent>();

    public bool Failing { get; set; }

    public IReadOnlyList<PoolPressureEvent> Events
    {
        get
        {
            lock (_lock)
            {
                return [.. _published.Select(p => p.Event)];
            }
        }
    }

    public IReadOnlyList<string> Topics
    {
        get
        {
            lock (_lock)
            {
                return [.. _published.Select(p => p.Topic)];
            }
        }
    }

    public Task PublishAsync<T>(string topic, T payload, CancellationToken cancellationToken)
        where T : class
    {
        if (Failing)
        {
            throw new InvalidOperationException("the bus is down");
        }

        var message = (PoolPressureEvent)(object)payload;
        lock (_lock)
        {
            _published.Add((topic, message));
        }

        _arrivals.Writer.TryWrite(message);
        return Task.CompletedTask;
    }

    public void Clear()
    {
        lock (_lock)
        {
            _published.Clear();
        }

        while (_arrivals.Reader.TryRead(out _))
        {
        }
    }

    /// <summary>The next event published (in publish order), for tests that run the publisher in the background.</summary>
    public async Task<PoolPressureEvent> NextAsync() =>
        await _arrivals.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
}
