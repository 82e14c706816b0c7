namespace Suite.LocalGateway.Hosting;

/// <summary>One InferencePool as the gateway sees it: where its picker is and what happens when the picker is not.</summary>
public sealed class GatewayPoolOptions
{
    public string Name { get; set; } = "";

    /// <summary>The pool's endpoint picker, ext_proc over h2c, e.g. <c>http://127.0.0.1:9002</c>.</summary>
    public Uri? Picker { get; set; }

    /// <summary>The pool's <c>failureMode</c>: what the gateway does when the picker cannot be reached or does not answer in time.</summary>
    public PickerFailureMode FailureMode { get; set; } = PickerFailureMode.FailClose;

    /// <summary>Model names routed to this pool (the gateway's routes; a catalog-fed <see cref="Routing.IModelRouter"/> can replace them).</summary>
    public List<string> Models { get; set; } = [];

    /// <summary>Requests whose model no pool lists come here.</summary>
    public bool Default { get; set; }

    /// <summary>
    /// Endpoints (<c>ip:port</c>) sent as the subset hint (<c>envoy.lb</c> / <c>x-gateway-destination-endpoint-subset</c>);
    /// empty sends none, so the picker chooses from the whole pool.
    /// </summary>
    public List<string> EndpointSubset { get; set; } = [];
}

/// <summary>InferencePool <c>failureMode</c>, which the gateway applies as ext_proc's <c>failure_mode_allow</c>.</summary>
public enum PickerFailureMode
{
    /// <summary>Requests fail with 503 while the picker is unreachable (the default).</summary>
    FailClose,

    /// <summary>Requests go to some endpoint of the pool while the picker is unreachable.</summary>
    FailOpen,
}
