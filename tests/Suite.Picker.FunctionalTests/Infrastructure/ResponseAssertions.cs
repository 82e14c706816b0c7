using System.Text.Json;
using Envoy.Service.ExtProc.V3;

namespace Suite.Picker.FunctionalTests.Infrastructure;

internal static class ResponseAssertions
{
    /// <summary>The value the picker set for <paramref name="key"/>, or null.</summary>
    public static string? SetHeader(CommonResponse response, string key)
    {
        foreach (var option in response.HeaderMutation?.SetHeaders ?? [])
        {
            if (option.Header.Key == key)
            {
                return option.Header.RawValue.ToStringUtf8();
            }
        }

        return null;
    }

    public static string? LbMetadataDestination(ProcessingResponse response) =>
        response.DynamicMetadata?.Fields["envoy.lb"].StructValue.Fields["x-gateway-destination-endpoint"].StringValue;

    /// <summary>Checks an ImmediateResponse and returns its OpenAI error message.</summary>
    public static string ImmediateError(ProcessingResponse response, int status, string type)
    {
        Assert.Equal(ProcessingResponse.ResponseOneofCase.ImmediateResponse, response.ResponseCase);
        var immediate = response.ImmediateResponse;
        Assert.Equal(status, (int)immediate.Status.Code);
        Assert.Equal("application/json", HeaderOf(immediate, "content-type"));
        using var body = JsonDocument.Parse(immediate.Body.Memory);
        var error = body.RootElement.GetProperty("error");
        Assert.Equal(type, error.GetProperty("type").GetString());
        Assert.Equal(status, error.GetProperty("code").GetInt32());
        return error.GetProperty("message").GetString()!;
    }

    public static string? HeaderOf(ImmediateResponse immediate, string key)
    {
        foreach (var option in immediate.Headers.SetHeaders)
        {
            if (option.Header.Key == key)
            {
                return option.Header.RawValue.ToStringUtf8();
            }
        }

        return null;
    }
}
