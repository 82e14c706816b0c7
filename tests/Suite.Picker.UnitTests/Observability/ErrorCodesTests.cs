using Envoy.Type.V3;
using Suite.Picker.Observability;

namespace Suite.Picker.UnitTests.Observability;

/// <summary>The <c>error_code</c> label each status the picker answers with is counted under.</summary>
public sealed class ErrorCodesTests
{
    [Theory]
    [InlineData(StatusCode.BadRequest, "BadRequest")]
    [InlineData(StatusCode.RequestTimeout, "BadRequest")]
    [InlineData(StatusCode.PayloadTooLarge, "BadRequest")]
    [InlineData(StatusCode.RequestHeaderFieldsTooLarge, "BadRequest")]
    [InlineData(StatusCode.NotFound, "BadConfiguredModel")]
    [InlineData(StatusCode.TooManyRequests, "InferencePoolResourceExhausted")]
    [InlineData(StatusCode.ServiceUnavailable, "ServiceUnavailable")]
    [InlineData(StatusCode.InternalServerError, "Internal")]
    public void Of_EachAnsweredStatus_GivesTheReferenceErrorCode(StatusCode status, string expected)
    {
        Assert.Equal(expected, ErrorCodes.Of(status));
    }
}
