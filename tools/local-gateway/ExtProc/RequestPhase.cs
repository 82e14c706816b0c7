using Envoy.Service.ExtProc.V3;
using Google.Protobuf.WellKnownTypes;
using Microsoft.AspNetCore.Http;

namespace Suite.LocalGateway.ExtProc;

/// <summary>
/// The request half of an ext_proc stream as Envoy runs it in FULL_DUPLEX_STREAMED mode: headers, then the body
/// without waiting; the picker's header answer may come before or after the body, and the body it sends back
/// (streamed chunks, or a whole replacement in BUFFERED style) is what goes upstream.
/// </summary>
internal static class RequestPhase
{
    /// <exception cref="Grpc.Core.RpcException">The picker could not be reached or failed the stream.</exception>
    /// <exception cref="PickerTimeoutException">The picker did not answer in time.</exception>
    public static async Task<RequestDecision> RunAsync(
        PickerCall call, HttpRequest request, ReadOnlyMemory<byte> body, IReadOnlyList<string> subset, CancellationToken cancellationToken)
    {
        var hasBody = !body.IsEmpty;
        await call.SendAsync(ExtProcMessages.RequestHeaders(request, hasBody, subset), cancellationToken);
        foreach (var chunk in ExtProcMessages.RequestBody(body))
        {
            await call.SendAsync(chunk, cancellationToken);
        }

        var mutations = new List<HeaderMutation>(2);
        string? destination = null;
        var headersAnswered = false;
        var bodyDone = !hasBody;
        MemoryStream? rewritten = null;
        ReadOnlyMemory<byte>? replaced = null;
        try
        {
            while (!headersAnswered || !bodyDone)
            {
                var answer = await call.ReadAsync(cancellationToken);
                if (answer is null)
                {
                    return new RequestDecision.Broken("the picker ended the stream before routing the request");
                }

                destination = DestinationFrom(answer.DynamicMetadata) ?? destination;
                switch (answer.ResponseCase)
                {
                    case ProcessingResponse.ResponseOneofCase.ImmediateResponse:
                        return new RequestDecision.Answered(answer.ImmediateResponse);

                    case ProcessingResponse.ResponseOneofCase.RequestHeaders:
                        headersAnswered = true;
                        Collect(answer.RequestHeaders.Response, mutations, ref destination);
                        break;

                    case ProcessingResponse.ResponseOneofCase.RequestBody:
                        // In BUFFERED style the routing rides on the body answer; a body answer also implies the headers went through.
                        headersAnswered = true;
                        var common = answer.RequestBody.Response;
                        Collect(common, mutations, ref destination);
                        var mutation = common?.BodyMutation;
                        if (mutation?.MutationCase == BodyMutation.MutationOneofCase.StreamedResponse)
                        {
                            rewritten ??= new MemoryStream(body.Length);
                            mutation.StreamedResponse.Body.WriteTo(rewritten);
                            bodyDone = mutation.StreamedResponse.EndOfStream;
                        }
                        else
                        {
                            if (mutation?.MutationCase == BodyMutation.MutationOneofCase.Body)
                            {
                                replaced = mutation.Body.Memory;
                            }

                            bodyDone = true;
                        }

                        break;

                    default:
                        return new RequestDecision.Broken($"the picker answered {answer.ResponseCase} while the request was being routed");
                }
            }

            if (destination is null)
            {
                return new RequestDecision.Broken("the picker routed the request without x-gateway-destination-endpoint");
            }

            var forwarded = replaced ?? (rewritten is null ? body : rewritten.ToArray());
            return new RequestDecision.Routed(Endpoints(destination), mutations, forwarded);
        }
        finally
        {
            rewritten?.Dispose();
        }
    }

    private static void Collect(CommonResponse? common, List<HeaderMutation> mutations, ref string? destination)
    {
        if (common?.HeaderMutation is not { } mutation)
        {
            return;
        }

        mutations.Add(mutation);
        foreach (var option in mutation.SetHeaders)
        {
            if (string.Equals(option.Header?.Key, GatewayNames.DestinationEndpoint, StringComparison.OrdinalIgnoreCase))
            {
                destination = HeaderMutations.ValueOf(option.Header!);
            }
        }
    }

    /// <summary><c>dynamic_metadata["envoy.lb"]["x-gateway-destination-endpoint"]</c>, which Envoy's load balancer reads.</summary>
    private static string? DestinationFrom(Struct? metadata) =>
        metadata is not null
        && metadata.Fields.TryGetValue(GatewayNames.LbMetadataNamespace, out var lb)
        && lb.KindCase == Value.KindOneofCase.StructValue
        && lb.StructValue.Fields.TryGetValue(GatewayNames.DestinationEndpoint, out var value)
        && value.KindCase == Value.KindOneofCase.StringValue
            ? value.StringValue
            : null;

    private static string[] Endpoints(string destination) =>
        destination.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}
