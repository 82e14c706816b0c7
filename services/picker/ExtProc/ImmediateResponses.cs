using System.Text.Json;
using Envoy.Config.Core.V3;
using Envoy.Service.ExtProc.V3;
using Envoy.Type.V3;
using Google.Protobuf;
using Suite.Contracts.OpenAi;
using Suite.Contracts.Serialization;

namespace Suite.Picker.ExtProc;

/// <summary>Turns a <see cref="Rejection"/> into an ImmediateResponse with an OpenAI-style JSON error body.</summary>
internal static class ImmediateResponses
{
    public static ProcessingResponse From(Rejection rejection, string requestId)
    {
        var envelope = new OpenAiErrorEnvelope(new OpenAiError(rejection.Message, rejection.Type, (int)rejection.Status));
        var body = JsonSerializer.SerializeToUtf8Bytes(envelope, ContractsJsonContext.Default.OpenAiErrorEnvelope);
        var headers = new HeaderMutation
        {
            SetHeaders =
            {
                ProcessingResponses.Overwrite(GatewayHeaders.ContentType, "application/json"),
                ProcessingResponses.Overwrite(GatewayHeaders.RequestId, requestId),
            },
        };

        return new ProcessingResponse
        {
            ImmediateResponse = new ImmediateResponse
            {
                Status = new HttpStatus { Code = rejection.Status },
                Headers = headers,
                Body = ByteString.CopyFrom(body),
                Details = rejection.Details,
            },
        };
    }
}
