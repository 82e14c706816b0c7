using Suite.Contracts.Catalog;
using Suite.Messaging;

namespace Suite.Catalog.Tests.Support;

/// <summary>A bus that keeps every catalog snapshot published on it, and fails on demand.</summary>
internal sealed class RecordingBus : IEventPublisher
{
    private readonly Lock _lock = new();
    private readonly List<(string Topic, CatalogSnapshot Snapshot)> _events = [];

    /// <summary>While set, every publish throws.</summary>
    public bool Failing { get; set; }

    public IReadOnlyList<CatalogSnapshot> Snapshots
    {
        get
        {
            lock (_lock)
            {
                return [.. _events.Select(e => e.Snapshot)];
            }
        }
    }

    public IReadOnlyList<string> Topics
    {
        get
        {
            lock (_lock)
            {
                return [.. _events.Select(e => e.Topic)];
            }
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _events.Clear();
        }
    }

    public Task PublishAsync<T>(string topic, T payload, CancellationToken cancellationToken)
        where T : class
    {
        if (Failing)
        {
            throw new HttpRequestException("the sidecar refused the connection");
        }

        lock (_lock)
        {
            _events.Add((topic, (CatalogSnapshot)(object)payload));
        }

        return Task.CompletedTask;
    }
}
