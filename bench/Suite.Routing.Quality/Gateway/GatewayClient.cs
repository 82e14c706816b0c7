using System.Diagnostics;
using System.Globalization;
using Envoy.Config.Core.V3;
using Envoy.Service.ExtProc.V3;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Suite.Routing.Quality.Workload;
using static Envoy.Extensions.Filters.Http.ExtProc.V3.ProcessingMode.Types;

namespace Suite.Routing.Quality.Gateway;

/// <summary>
/// Plays the gateway for one request, as Envoy's ext_proc filter in FULL_DUPLEX_STREAMED mode does: request headers
/// (with <c>x-gateway-inference-objective</c> when the request names one) and the body to the picker; its first answer
/// is the routing decision (destination header, then the body as streamed chunks) or an ImmediateResponse. A routed
/// request goes to the chosen pod as a streaming chat completion; the pod's status and headers go to the picker when
/// they arrive, its body once it has ended, and the stream is closed, which is when the picker releases the request's
/// in-flight load and reads the usage.
/// </summary>
internal sealed class GatewayClient : IDisposable
{
    private const string DestinationHeader = "x-gateway-destination-endpoint";
    private const string ObjectiveHeader = "x-gateway-inference-objective";

    private static readonly ProtocolConfiguration FullDuplex = new()
    {
        RequestBodyMode = BodySendMode.FullDuplexStreamed,
        ResponseBodyMode = BodySendMode.FullDuplexStreamed,
    };

    private readonly GrpcChannel _channel;
    private readonly ExternalProcessor.ExternalProcessorClient _picker;
    private readonly HttpMessageInvoker _pods;

    public GatewayClient(Uri picker, HttpMessageInvoker pods)
    {
        _channel = GrpcChannel.ForAddress(picker, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                // Streams stay open for a whole completion: past a connection's stream limit, open another.
                EnableMultipleHttp2Connections = true,
                PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
                ConnectTimeout = TimeSpan.FromSeconds(5),
            },
            DisposeHttpClient = true,
            MaxReceiveMessageSize = 64 * 1024 * 1024,
            MaxSendMessageSize = 64 * 1024 * 1024,
        });
        _picker = new ExternalProcessor.ExternalProcessorClient(_channel);
        _pods = pods;
    }

    /// <param name="scheduled">The <see cref="Stopwatch"/> timestamp the request was due; every time is measured from it.</param>
    public async Task<RequestRecord> SendAsync(PlannedRequest planned, string requestId, long scheduled, CancellationToken cancellationToken)
    {
        string? routedTo = null;
        long firstToken = 0;
        try
        {
            using var call = _picker.Process(cancellationToken: cancellationToken);
            var requests = call.RequestStream;
            var answers = call.ResponseStream;
            await requests.WriteAsync(RequestHeaders(planned, requestId), cancellationToken);
            await requests.WriteAsync(new ProcessingRequest { RequestBody = new HttpBody { Body = UnsafeByteOperations.UnsafeWrap(planned.Body), EndOfStream = true } }, cancellationToken);

            if (!await answers.MoveNext(cancellationToken))
            {
                return Record(RequestOutcome.Error, "the picker ended the stream without answering");
            }

            var first = answers.Current;
            if (first.ResponseCase == ProcessingResponse.ResponseOneofCase.ImmediateResponse)
            {
                await requests.CompleteAsync();
                var status = (int)first.ImmediateResponse.Status.Code;
                return Record(status == 429 ? RequestOutcome.Shed : RequestOutcome.Error, $"picker {status} {first.ImmediateResponse.Details}");
            }

            routedTo = first.ResponseCase == ProcessingResponse.ResponseOneofCase.RequestHeaders ? Destination(first.RequestHeaders) : null;
            if (routedTo is null)
            {
                return Record(RequestOutcome.Error, $"first answer {first.ResponseCase} without {DestinationHeader}");
            }

            var forwarded = await ReadForwardedBodyAsync(answers, cancellationToken);
            if (forwarded is null)
            {
                return Record(RequestOutcome.Error, "the picker's streamed body did not end");
            }

            using var request = new HttpRequestMessage(HttpMethod.Post, $"http://{routedTo}/v1/chat/completions") { Content = new ByteArrayContent(forwarded) };
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            request.Headers.Accept.Add(new System.Net.Http.Headers.MediaTypeWithQualityHeaderValue("text/event-stream"));
            using var response = await _pods.SendAsync(request, cancellationToken);
            var code = (int)response.StatusCode;
            var contentType = response.Content.Headers.ContentType?.ToString() ?? "application/octet-stream";
            await requests.WriteAsync(ResponseHeaders(code, contentType), cancellationToken);

            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            var completion = await StreamedCompletion.ReadAsync(stream, cancellationToken);
            firstToken = completion.FirstTokenTimestamp;
            await requests.WriteAsync(new ProcessingRequest
            {
                ResponseBody = new HttpBody { Body = UnsafeByteOperations.UnsafeWrap(completion.Body), EndOfStream = true },
            }, cancellationToken);
            await requests.CompleteAsync();
            while (await answers.MoveNext(cancellationToken))
            {
            }

            var ended = Milliseconds(scheduled, completion.EndedTimestamp);
            if (code != 200)
            {
                return new RequestRecord(planned, code == 429 ? RequestOutcome.Shed : RequestOutcome.Error, $"pod {code}", null, ended, 0, 0, 0, routedTo);
            }

            if (completion.FirstTokenTimestamp == 0)
            {
                return new RequestRecord(planned, RequestOutcome.Error, "the pod's stream carried no token", null, ended, 0, 0, 0, routedTo);
            }

            return new RequestRecord(
                planned,
                RequestOutcome.Completed,
                null,
                Milliseconds(scheduled, completion.FirstTokenTimestamp),
                ended,
                completion.PromptTokens,
                completion.CachedTokens,
                completion.OutputTokens,
                routedTo);
        }
        catch (Exception e) when (cancellationToken.IsCancellationRequested && e is OperationCanceledException or RpcException or HttpRequestException or IOException)
        {
            var waited = Milliseconds(scheduled, Stopwatch.GetTimestamp());
            return new RequestRecord(planned, RequestOutcome.Unfinished, "unfinished at the drain timeout", firstToken == 0 ? waited : Milliseconds(scheduled, firstToken), waited, 0, 0, 0, routedTo);
        }
        catch (RpcException e)
        {
            return Record(RequestOutcome.Error, $"ext_proc {e.StatusCode}");
        }
        catch (Exception e) when (e is HttpRequestException or IOException or InvalidOperationException)
        {
            return Record(RequestOutcome.Error, $"upstream {e.GetType().Name}: {e.Message}");
        }

        RequestRecord Record(RequestOutcome outcome, string? detail) => new(planned, outcome, detail, null, null, 0, 0, 0, routedTo);
    }

    public void Dispose() => _channel.Dispose();

    /// <summary>The request body as the picker passed it on (its model name possibly rewritten); null if it never ended.</summary>
    private static async Task<byte[]?> ReadForwardedBodyAsync(IAsyncStreamReader<ProcessingResponse> answers, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream();
        while (await answers.MoveNext(cancellationToken))
        {
            var streamed = answers.Current.RequestBody?.Response?.BodyMutation?.StreamedResponse;
            if (streamed is null)
            {
                return null;
            }

            streamed.Body.WriteTo(body);
            if (streamed.EndOfStream)
            {
                return body.ToArray();
            }
        }

        return null;
    }

    private static string? Destination(HeadersResponse answer)
    {
        foreach (var option in answer.Response?.HeaderMutation?.SetHeaders ?? [])
        {
            if (option.Header?.Key == DestinationHeader)
            {
                var value = option.Header.RawValue.IsEmpty ? option.Header.Value : option.Header.RawValue.ToStringUtf8();

                // Primary first, then fallbacks: the gateway tries the primary.
                var comma = value.IndexOf(',', StringComparison.Ordinal);
                return comma < 0 ? value.Trim() : value[..comma].Trim();
            }
        }

        return null;
    }

    private static ProcessingRequest RequestHeaders(PlannedRequest planned, string requestId)
    {
        var headers = new HeaderMap
        {
            Headers =
            {
                Header(":authority", "inference-gateway.routing.svc:8080"),
                Header(":path", "/v1/chat/completions"),
                Header(":method", "POST"),
                Header(":scheme", "http"),
                Header("content-type", "application/json"),
                Header("content-length", planned.Body.Length.ToString(CultureInfo.InvariantCulture)),
                Header("accept", "text/event-stream"),
                Header("x-request-id", requestId),
            },
        };
        if (planned.Objective is { } objective)
        {
            headers.Headers.Add(Header(ObjectiveHeader, objective));
        }

        return new ProcessingRequest { RequestHeaders = new HttpHeaders { Headers = headers, EndOfStream = false }, ProtocolConfig = FullDuplex };
    }

    private static ProcessingRequest ResponseHeaders(int status, string contentType) => new()
    {
        ResponseHeaders = new HttpHeaders
        {
            Headers = new HeaderMap
            {
                Headers = { Header(":status", status.ToString(CultureInfo.InvariantCulture)), Header("content-type", contentType) },
            },
            EndOfStream = false,
        },
    };

    private static HeaderValue Header(string key, string value) => new() { Key = key, RawValue = ByteString.CopyFromUtf8(value) };

    private static double Milliseconds(long from, long to) => (to - from) * 1000.0 / Stopwatch.Frequency;
}
