namespace Suite.Picker.ExtProc;

/// <summary>Header and metadata names of the endpoint picker protocol (Gateway API Inference Extension).</summary>
public static class GatewayHeaders
{
    public const string DestinationEndpoint = "x-gateway-destination-endpoint";
    public const string DestinationEndpointSubset = "x-gateway-destination-endpoint-subset";
    public const string DestinationEndpointServed = "x-gateway-destination-endpoint-served";
    public const string InferenceObjective = "x-gateway-inference-objective";
    public const string FairnessId = "x-gateway-inference-fairness-id";
    public const string ModelNameRewrite = "x-gateway-model-name-rewrite";
    public const string RequestId = "x-request-id";
    public const string PickerDecision = "x-picker-decision";
    public const string ContentLength = "content-length";
    public const string ContentType = "content-type";
    public const string Path = ":path";
    public const string Status = ":status";

    /// <summary>W3C trace context, which the gateway's tracer sets.</summary>
    public const string TraceParent = "traceparent";
    public const string TraceState = "tracestate";

    /// <summary>The dynamic-metadata namespace Envoy's load balancer reads the destination from.</summary>
    public const string LbMetadataNamespace = "envoy.lb";

    public const string DefaultFairnessId = "default-flow";
}
