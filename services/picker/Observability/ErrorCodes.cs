using Envoy.Type.V3;

namespace Suite.Picker.Observability;

/// <summary>The <c>error_code</c> label of <c>inference_objective_request_error_total</c>, in the reference picker's words.</summary>
public static class ErrorCodes
{
    public const string BadRequest = "BadRequest";
    public const string BadConfiguredModel = "BadConfiguredModel";
    public const string ResourceExhausted = "InferencePoolResourceExhausted";
    public const string ServiceUnavailable = "ServiceUnavailable";
    public const string Internal = "Internal";
    public const string ModelServerError = "ModelServerError";

    public static string Of(StatusCode status) => status switch
    {
        StatusCode.BadRequest or StatusCode.PayloadTooLarge or StatusCode.RequestTimeout or StatusCode.RequestHeaderFieldsTooLarge => BadRequest,
        StatusCode.NotFound => BadConfiguredModel,
        StatusCode.TooManyRequests => ResourceExhausted,
        StatusCode.ServiceUnavailable => ServiceUnavailable,
        _ => Internal,
    };
}
