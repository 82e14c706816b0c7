namespace Suite.Contracts.Pools;

/// <summary>One model-server endpoint (pod + target port) and its latest measured load.</summary>
/// <param name="Address">Where the gateway sends the request, as <c>ip:port</c>.</param>
/// <param name="BaseModel">The model the server was started with (vLLM's <c>model_name</c> label), when known.</param>
public sealed record EndpointSnapshot(
    string Address,
    string PodName,
    string? BaseModel,
    EndpointMetrics Metrics);
