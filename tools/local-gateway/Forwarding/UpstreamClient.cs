namespace Suite.LocalGateway.Forwarding;

/// <summary>The HTTP client to model servers.</summary>
internal sealed class UpstreamClient;
