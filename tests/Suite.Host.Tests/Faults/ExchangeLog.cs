using System.Collections.Concurrent;
using Suite.LocalGateway.Observation;

namespace Suite.Host.Tests.Faults;

/// <summary>Every exchange the local gateway finished, as it reports them: the gateway's side of the accounting.</summary>
internal sealed class ExchangeLog : IGatewayObserver
{
    private readonly ConcurrentQueue<GatewayExchange> _exchanges = new();

    public int Count => _exchanges.Count;

    public IReadOnlyList<GatewayExchange> Snapshot() => [.. _exchanges];

    public void Completed(GatewayExchange exchange) => _exchanges.Enqueue(exchange);
}
