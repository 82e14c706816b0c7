using Envoy.Config.Core.V3;
using Envoy.Service.ExtProc.V3;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core;

// The floor under the picker's ext_proc latency: the same Kestrel and gRPC set-up as the picker (h2c, inline socket
// scheduling, workstation GC), answering each exchange with fixed messages and no scheduling, body scan or metrics.
// Driven by the same h2load schedule as the picker, the difference between the two is what the picker's own code
// costs; what remains is the transport's.
var builder = WebApplication.CreateBuilder(args);
builder.Logging.ClearProviders();
builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = true);
builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenAnyIP(9012, listen => listen.Protocols = HttpProtocols.Http2));
builder.Services.AddGrpc();
var app = builder.Build();
app.MapGrpcService<FixedAnswerProcessor>();
app.Run();

internal sealed class FixedAnswerProcessor : ExternalProcessor.ExternalProcessorBase
{
    // The shape of the picker's routing answer (destination header, clear_route_cache, envoy.lb metadata), fixed.
    private static readonly ProcessingResponse HeadersAnswer = RoutedTo("10.0.0.1:8000");
    private static readonly ProcessingResponse ResponseHeadersAnswer = new() { ResponseHeaders = new HeadersResponse { Response = new CommonResponse() } };

    public override async Task Process(
        IAsyncStreamReader<ProcessingRequest> requestStream, IServerStreamWriter<ProcessingResponse> responseStream, ServerCallContext context)
    {
        // Like the picker: the headers answer waits for the end of the body, then both go out.
        while (await requestStream.MoveNext())
        {
            if (requestStream.Current.RequestBody is { EndOfStream: true } body)
            {
                // FULL_DUPLEX_STREAMED: the body goes back to the gateway as a streamed mutation, as the picker sends it.
                await responseStream.WriteAsync(HeadersAnswer);
                await responseStream.WriteAsync(new ProcessingResponse
                {
                    RequestBody = new BodyResponse
                    {
                        Response = new CommonResponse
                        {
                            BodyMutation = new BodyMutation { StreamedResponse = new StreamedBodyResponse { Body = body.Body, EndOfStream = true } },
                        },
                    },
                });
            }
            else if (requestStream.Current.ResponseHeaders is not null)
            {
                await responseStream.WriteAsync(ResponseHeadersAnswer);
            }
        }
    }

    private static ProcessingResponse RoutedTo(string destination)
    {
        var lb = new Struct();
        lb.Fields["x-gateway-destination-endpoint"] = Value.ForString(destination);
        var metadata = new Struct();
        metadata.Fields["envoy.lb"] = Value.ForStruct(lb);
        return new ProcessingResponse
        {
            RequestHeaders = new HeadersResponse
            {
                Response = new CommonResponse
                {
                    ClearRouteCache = true,
                    HeaderMutation = new HeaderMutation
                    {
                        SetHeaders =
                        {
                            new HeaderValueOption
                            {
                                Header = new HeaderValue { Key = "x-gateway-destination-endpoint", RawValue = ByteString.CopyFromUtf8(destination) },
                                AppendAction = HeaderValueOption.Types.HeaderAppendAction.OverwriteIfExistsOrAdd,
                            },
                        },
                    },
                },
            },
            DynamicMetadata = metadata,
        };
    }
}
