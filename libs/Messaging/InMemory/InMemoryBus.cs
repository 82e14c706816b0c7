using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Suite.Messaging.InMemory;

/// <summary>
/// The event bus of the embedded suite: delivers each event to the topic's subscribers in this process, in
/// publish order, before <see cref="PublishAsync{T}"/> completes. One instance is shared by every service the
/// process hosts. Payloads are immutable contract records, so subscribers get the publisher's object.
/// </summary>
public sealed partial class InMemoryBus(ILogger<InMemoryBus> logger) : IEventPublisher
{
    private readonly ConcurrentDictionary<string, ImmutableSubscribers> _topics = new(StringComparer.Ordinal);

    public IDisposable Subscribe<T>(string topic, ITopicHandler<T> handler)
        where T : class
    {
        var subscriber = new Subscriber(typeof(T), (payload, ct) => handler.HandleAsync((T)payload, ct));
        _topics.AddOrUpdate(topic, _ => new([subscriber]), (_, existing) => new([.. existing.Items, subscriber]));
        return new Subscription(this, topic, subscriber);
    }

    public async Task PublishAsync<T>(string topic, T payload, CancellationToken cancellationToken)
        where T : class
    {
        if (!_topics.TryGetValue(topic, out var subscribers))
        {
            return;
        }

        foreach (var subscriber in subscribers.Items)
        {
            if (subscriber.PayloadType != typeof(T))
            {
                LogTypeMismatch(topic, typeof(T).Name, subscriber.PayloadType.Name);
                continue;
            }

            try
            {
                var result = await subscriber.Deliver(payload, cancellationToken);
                if (result != DeliveryResult.Success)
                {
                    LogNotAccepted(topic, result);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // One failing subscriber must not keep the event from the others, nor fail the publisher.
                LogHandlerFailed(topic, e);
            }
        }
    }

    private void Unsubscribe(string topic, Subscriber subscriber) =>
        _topics.AddOrUpdate(topic, _ => new([]), (_, existing) => new([.. existing.Items.Where(s => s != subscriber)]));

    [LoggerMessage(1, LogLevel.Error, "In-memory bus: a subscriber of {Topic} expects {Expected}, the event is a {Actual}; not delivered to it")]
    private partial void LogTypeMismatch(string topic, string actual, string expected);

    [LoggerMessage(2, LogLevel.Warning, "In-memory bus: a subscriber of {Topic} answered {Result}; the in-memory bus does not redeliver")]
    private partial void LogNotAccepted(string topic, DeliveryResult result);

    [LoggerMessage(3, LogLevel.Error, "In-memory bus: a subscriber of {Topic} failed")]
    private partial void LogHandlerFailed(string topic, Exception exception);

    private sealed record Subscriber(Type PayloadType, Func<object, CancellationToken, Task<DeliveryResult>> Deliver);

    private sealed record ImmutableSubscribers(Subscriber[] Items);

    private sealed class Subscription(InMemoryBus bus, string topic, Subscriber subscriber) : IDisposable
    {
        public void Dispose() => bus.Unsubscribe(topic, subscriber);
    }
}
