using Envoy.Type.V3;
using Suite.Picker.Admission;
using Suite.Picker.Scheduling;

namespace Suite.Picker.ExtProc;

/// <summary>
/// Why the picker answers a request itself instead of routing it: the one place where reasons become HTTP
/// status codes and OpenAI error types.
/// </summary>
/// <param name="Details">Envoy's response-code details (shown in access logs): no spaces.</param>
/// <param name="LogLevel">How the answer is logged: Debug for one that comes in storms when the picker is overloaded.</param>
internal sealed record Rejection(StatusCode Status, string Type, string Details, string Message, LogLevel LogLevel = LogLevel.Information)
{
    public static Rejection BadRequest(string message) =>
        new(StatusCode.BadRequest, "invalid_request_error", "picker_bad_request", message);

    public static Rejection TooLarge(int limit) =>
        new(StatusCode.PayloadTooLarge, "invalid_request_error", "picker_body_too_large",
            $"The request body exceeds the gateway's limit of {limit} bytes.");

    public static Rejection BodyBudgetFull(long budget) =>
        new(StatusCode.ServiceUnavailable, "service_unavailable", "picker_body_budget",
            $"The picker holds as many request bodies as Picker:MaxBufferedBodyBytes ({budget} bytes) allows; retry later.",
            LogLevel.Debug);

    public static Rejection HeadersTooLarge(int messageLimit) =>
        new(StatusCode.RequestHeaderFieldsTooLarge, "invalid_request_error", "picker_headers_too_large",
            $"The request headers exceed the picker's limit of {messageLimit} bytes for one message.");

    public static Rejection BodyTimedOut(TimeSpan timeout) =>
        new(StatusCode.RequestTimeout, "invalid_request_error", "picker_body_timeout",
            $"The request body did not arrive in full within Picker:RequestBodyTimeout ({timeout:c}) of its headers.");

    public static Rejection UnknownModel(string model) =>
        new(StatusCode.NotFound, "invalid_request_error", "picker_unknown_model",
            $"The model '{model}' does not exist in this pool's catalog.");

    public static Rejection Internal(string message) =>
        new(StatusCode.InternalServerError, "internal_error", "picker_internal_error", message);

    private static readonly Rejection Shed = new(StatusCode.TooManyRequests, "rate_limit_exceeded", "picker_request_shed",
        "The pool is saturated and this request is sheddable; retry later.");

    private static readonly Rejection QueueFull = new(StatusCode.TooManyRequests, "rate_limit_exceeded", "picker_queue_full",
        "The pool is saturated and its queue holds as many requests of this priority as it may; retry later.");

    private static readonly Rejection Expired = new(StatusCode.ServiceUnavailable, "service_unavailable", "picker_queue_expired",
        "The request waited in the queue until its deadline without a model server coming free.");

    /// <summary>Null when admission let the request through.</summary>
    public static Rejection? For(AdmissionOutcome outcome) => outcome switch
    {
        AdmissionOutcome.Shed => Shed,
        AdmissionOutcome.QueueFull => QueueFull,
        AdmissionOutcome.Expired => Expired,
        _ => null,
    };

    public static Rejection For(PickFailure failure) => failure switch
    {
        PickFailure.NoEndpoints => new(StatusCode.ServiceUnavailable, "service_unavailable", "picker_no_endpoints",
            "No ready model server can take this request right now."),
        PickFailure.SubsetMatchesNone => new(StatusCode.ServiceUnavailable, "service_unavailable", "picker_subset_empty",
            "None of the endpoints the gateway allowed for this request (x-gateway-destination-endpoint-subset) is ready in the pool."),
        PickFailure.NothingSchedulable => new(StatusCode.TooManyRequests, "rate_limit_exceeded", "picker_nothing_schedulable",
            "Every model server was filtered out for this request; retry later."),
        _ => Internal($"Unexpected scheduling outcome {failure}."),
    };
}
