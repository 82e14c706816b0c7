using System.Threading.Channels;
using Envoy.Config.Core.V3;
using Envoy.Service.ExtProc.V3;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Suite.LocalGateway.Tests.Infrastructure;

/// <summary>
/// A stand-in endpoint picker on a real h2c listener that plays the picker's side of FULL_DUPLEX_STREAMED as the
/// test scripts it, and records every message the gateway sent.
/// </summary>
internal sealed class ScriptedPicker : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ScriptedPicker(WebApplication app, int port)
    {
        _app = app;
        Address = new Uri($"http://127.0.0.1:{port}");
    }

    public Uri Address { get; }

    /// <summary>Each finished stream's messages, in order.</summary>
    public Channel<List<ProcessingRequest>> Streams { get; } = Channel.CreateUnbounded<List<ProcessingRequest>>();

    /// <summary>Destination header value the picker routes to.</summary>
    public string Destination { get; set; } = "";

    /// <summary>When set, the picker answers every request with this instead of routing it.</summary>
    public ImmediateResponse? Immediate { get; set; }

    /// <summary>Turns the request body into the body the picker sends on (identity by default).</summary>
    public Func<byte[], byte[]> RewriteBody { get; set; } = body => body;

    /// <summary>Extra request headers the picker sets.</summary>
    public Dictionary<string, string> SetRequestHeaders { get; } = [];

    /// <summary>Turns each response chunk into what the picker passes to the client (identity by default).</summary>
    public Func<ByteString, ByteString> RewriteResponseChunk { get; set; } = chunk => chunk;

    /// <summary>When true the picker reads the request but never answers (a hung picker).</summary>
    public bool Silent { get; set; }

    public static async Task<ScriptedPicker> StartAsync()
    {
        var port = FreePorts.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenLocalhost(port, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton<ScriptedProcessor>();
        var app = builder.Build();
        var picker = new ScriptedPicker(app, port);
        app.Services.GetRequiredService<ScriptedProcessor>().Picker = picker;
        app.MapGrpcService<ScriptedProcessor>();
        await app.StartAsync();
        return picker;
    }

    /// <summary>The messages of the next stream to end (waits up to 10 s for it).</summary>
    public async Task<List<ProcessingRequest>> NextStreamAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await Streams.Reader.ReadAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed class ScriptedProcessor : ExternalProcessor.ExternalProcessorBase
    {
        public ScriptedPicker Picker { get; set; } = null!;

        public override async Task Process(
            IAsyncStreamReader<ProcessingRequest> requestStream, IServerStreamWriter<ProcessingResponse> responseStream, ServerCallContext context)
        {
            var picker = Picker;
            var seen = new List<ProcessingRequest>();
            using var body = new MemoryStream();
            try
            {
                while (await requestStream.MoveNext(context.CancellationToken))
                {
                    var message = requestStream.Current;
                    seen.Add(message);
                    if (picker.Silent)
                    {
                        continue;
                    }

                    switch (message.RequestCase)
                    {
                        case ProcessingRequest.RequestOneofCase.RequestHeaders when message.RequestHeaders.EndOfStream:
                            await RouteAsync(responseStream, []);
                            break;
                        case ProcessingRequest.RequestOneofCase.RequestBody:
                            message.RequestBody.Body.WriteTo(body);
                            if (message.RequestBody.EndOfStream)
                            {
                                await RouteAsync(responseStream, body.ToArray());
                            }

                            break;
                        case ProcessingRequest.RequestOneofCase.ResponseHeaders:
                            await responseStream.WriteAsync(new ProcessingResponse
                            {
                                ResponseHeaders = new HeadersResponse
                                {
                                    Response = new CommonResponse { HeaderMutation = new HeaderMutation { SetHeaders = { Header("x-picker-decision", "picked=scripted") } } },
                                },
                            });
                            break;
                        case ProcessingRequest.RequestOneofCase.ResponseBody:
                            await responseStream.WriteAsync(new ProcessingResponse
                            {
                                ResponseBody = new BodyResponse
                                {
                                    Response = new CommonResponse
                                    {
                                        BodyMutation = new BodyMutation
                                        {
                                            StreamedResponse = new StreamedBodyResponse
                                            {
                                                Body = picker.RewriteResponseChunk(message.ResponseBody.Body),
                                                EndOfStream = message.ResponseBody.EndOfStream,
                                            },
                                        },
                                    },
                                },
                            });
                            break;
                    }
                }
            }
            catch (IOException)
            {
                // the gateway reset the stream
            }
            catch (OperationCanceledException)
            {
            }
            finally
            {
                picker.Streams.Writer.TryWrite(seen);
            }

            async Task RouteAsync(IServerStreamWriter<ProcessingResponse> answers, byte[] requestBody)
            {
                if (picker.Immediate is { } immediate)
                {
                    await answers.WriteAsync(new ProcessingResponse { ImmediateResponse = immediate });
                    return;
                }

                var mutation = new HeaderMutation { SetHeaders = { Header("x-gateway-destination-endpoint", picker.Destination) } };
                foreach (var (name, value) in picker.SetRequestHeaders)
                {
                    mutation.SetHeaders.Add(Header(name, value));
                }

                var lb = new Struct();
                lb.Fields["x-gateway-destination-endpoint"] = Value.ForString(picker.Destination);
                var metadata = new Struct();
                metadata.Fields["envoy.lb"] = Value.ForStruct(lb);
                await answers.WriteAsync(new ProcessingResponse
                {
                    RequestHeaders = new HeadersResponse { Response = new CommonResponse { HeaderMutation = mutation, ClearRouteCache = true } },
                    DynamicMetadata = metadata,
                });
                if (requestBody.Length > 0)
                {
                    await answers.WriteAsync(new ProcessingResponse
                    {
                        RequestBody = new BodyResponse
                        {
                            Response = new CommonResponse
                            {
                                BodyMutation = new BodyMutation
                                {
                                    StreamedResponse = new StreamedBodyResponse { Body = ByteString.CopyFrom(picker.RewriteBody(requestBody)), EndOfStream = true },
                                },
                            },
                        },
                    });
                }
            }
        }

        private static HeaderValueOption Header(string name, string value) => new()
        {
            Header = new HeaderValue { Key = name, RawValue = ByteString.CopyFromUtf8(value) },
            AppendAction = HeaderValueOption.Types.HeaderAppendAction.OverwriteIfExistsOrAdd,
        };
    }
}
