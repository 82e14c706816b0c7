namespace Suite.LocalGateway.Observation;

/// <summary>One request through the gateway, as seen from the gateway.</summary>
/// <param name="Pool">The pool the route chose.</param>
/// <param name="Model">The <c>model</c> the client asked for; null when the body named none.</param>
/// <param name="Objective">The <c>x-gateway-inference-objective</c> header, if any.</param>
/// <param name="Status">The HTTP status the client got.</param>
/// <param name="Endpoint">The model server that served it (after fallbacks); null when none did.</param>
/// <param name="Decision">The picker's <c>x-picker-decision</c> explanation, when its profile turns that on.</param>
/// <param name="Outcome">How it ended: <see cref="ExchangeOutcomes"/>.</param>
/// <param name="Detail">The picker's ImmediateResponse details (e.g. <c>picker_request_shed</c>) or the failure, if any.</param>
public sealed record GatewayExchange(
    DateTimeOffset Completed,
    string Pool,
    string? Model,
    string? Objective,
    int Status,
    string? Endpoint,
    string? Decision,
    string Outcome,
    string? Detail,
    TimeSpan Duration);

/// <summary>Values of <see cref="GatewayExchange.Outcome"/>.</summary>
public static class ExchangeOutcomes
{
    /// <summary>Proxied to a model server (whatever status it answered).</summary>
    public const string Proxied = "proxied";

    /// <summary>The picker answered the request itself (ImmediateResponse: 4xx/5xx such as 429 shed).</summary>
    public const string PickerAnswered = "picker_answered";

    /// <summary>The picker was unreachable and the pool fails open: proxied to an endpoint the gateway chose.</summary>
    public const string FailedOpen = "failed_open";

    /// <summary>The gateway answered with an error itself (bad request, picker down on a FailClose pool, no endpoint reachable).</summary>
    public const string GatewayError = "gateway_error";
}
