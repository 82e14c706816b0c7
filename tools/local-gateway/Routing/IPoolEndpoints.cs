namespace Suite.LocalGateway.Routing;

/// <summary>
/// A pool's current endpoints (<c>ip:port</c>), which the gateway needs only for a FailOpen pool whose picker is
/// down: Envoy then load-balances over the pool's endpoints itself.
/// </summary>
public interface IPoolEndpoints
{
    IReadOnlyList<string> EndpointsOf(string pool);
}
