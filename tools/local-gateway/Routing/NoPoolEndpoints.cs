namespace Suite.LocalGateway.Routing;

/// <summary>Without a source of endpoints a FailOpen pool whose picker is down has nowhere to go: 503.</summary>
internal sealed class NoPoolEndpoints : IPoolEndpoints
{
    public IReadOnlyList<string> EndpointsOf(string pool) => [];
}
