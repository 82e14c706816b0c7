namespace Suite.LocalGateway.ExtProc;

/// <summary>Header and metadata names of the endpoint picker protocol, as the gateway side uses them.</summary>
internal static class GatewayNames
{
    public const string DestinationEndpoint = "x-gateway-destination-endpoint";
    public const string DestinationEndpointSubset = "x-gateway-destination-endpoint-subset";
    public const string DestinationEndpointServed = "x-gateway-destination-endpoint-served";
    public const string InferenceObjective = "x-gateway-inference-objective";
    public const string PickerDecision = "x-picker-decision";
    public const string RequestId = "x-request-id";
    public const string LbMetadataNamespace = "envoy.lb";

    /// <summary>Headers only the gateway may set: a client's own values are dropped before the picker sees the request.</summary>
    public static readonly string[] GatewayOwned = [DestinationEndpoint, DestinationEndpointSubset, DestinationEndpointServed];
}
