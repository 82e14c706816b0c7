using Microsoft.Extensions.Logging;

namespace Suite.Kubernetes.Tests.Support;

internal sealed record LogRecord(LogLevel Level, EventId EventId, string Message, IReadOnlyList<KeyValuePair<string, object?>> State, Exception? Exception)
{
    /// <summary>A structured value of the message, e.g. <c>Delay</c>.</summary>
    public TValue Value<TValue>(string name) => (TValue)State.Single(p => p.Key == name).Value!;
}
