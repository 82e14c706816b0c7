using System.Diagnostics.Metrics;

namespace Suite.Messaging;

/// <summary>
/// Events a service received and dropped (meter <c>Suite.Messaging</c>), by topic and reason: <c>unreadable</c>
/// (the data is not the topic's JSON) or <c>rejected</c> (no data, or the handler refused it). A dropped event is also logged;
/// the counter is what an alert watches.
/// </summary>
public sealed class MessagingMetrics
{
    public const string MeterName = "Suite.Messaging";

    private readonly Counter<long> _dropped;

    public MessagingMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _dropped = meter.CreateCounter<long>("messaging.events.dropped", "{event}", "Events received and dropped, by topic and reason (unreadable, rejected).");
    }

    public void Dropped(string topic, string reason) =>
        _dropped.Add(1, new KeyValuePair<string, object?>("topic", topic), new KeyValuePair<string, object?>("reason", reason));
}
