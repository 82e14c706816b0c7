using System.Diagnostics;
using System.Globalization;
using Envoy.Config.Core.V3;
using Envoy.Service.ExtProc.V3;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Suite.Queue.Overload.Workload;
using static Envoy.Extensions.Filters.Http.ExtProc.V3.ProcessingMode.Types;

namespace Suite.Queue.Overload.Gateway;

/// <summary>
/// Plays the gateway for one request at a time, as Envoy's ext_proc filter in FULL_DUPLEX_STREAMED mode does:
/// request headers and the body (end of stream) to the picker; its first answer is either the routing decision
/// (destination header, then the possibly rewritten body as streamed chunks) or an ImmediateResponse. A routed
/// request goes to the chosen pod as a streaming completion; the pod's status and headers go to the picker when
/// they arrive, its body once it has ended (one message rather than one per event, which would double the gRPC
/// traffic on two cores without changing what the picker decides), and the stream is closed, which is when the
/// picker releases the request's in-flight load.
/// </summary>
internal sealed class GatewayClient : IDisposable
{
    private const string DestinationHeader = "x-gateway-destination-endpoint";

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
    public async Task<RequestRecord> SendAsync(
        ScheduledArrival arrival, byte[] body, string requestId, long scheduled, CancellationToken cancellationToken)
    {
        var lag = Milliseconds(scheduled, Stopwatch.GetTimestamp());
        double? decision = null;
        string? routedTo = null;
        try
        {
            using var call = _picker.Process(cancellationToken: cancellationToken);
            var requests = call.RequestStream;
            var answers = call.ResponseStream;
            await requests.WriteAsync(RequestHeaders(body.Length, requestId), cancellationToken);
            await requests.WriteAsync(new ProcessingRequest { RequestBody = new HttpBody { Body = UnsafeByteOperations.UnsafeWrap(body), EndOfStream = true } }, cancellationToken);

            if (!await answers.MoveNext(cancellationToken))
            {
                return Record(RequestOutcome.Failed, "the picker ended the stream without answering");
            }

            decision = Milliseconds(scheduled, Stopwatch.GetTimestamp());
            var first = answers.Current;
            if (first.ResponseCase == ProcessingResponse.ResponseOneofCase.ImmediateResponse)
            {
                await requests.CompleteAsync();
                return Rejected(first.ImmediateResponse);
            }

            routedTo = first.ResponseCase == ProcessingResponse.ResponseOneofCase.RequestHeaders ? Destination(first.RequestHeaders) : null;
            if (routedTo is null)
            {
                return Record(RequestOutcome.Failed, $"first answer {first.ResponseCase} without {DestinationHeader}");
            }

            var forwarded = await ReadForwardedBodyAsync(answers, cancellationToken);
            if (forwarded is null)
            {
                return Record(RequestOutcome.Failed, "the picker's streamed body did not end");
            }

            return await ForwardAsync(arrival, call, forwarded, routedTo, lag, decision.Value, scheduled, cancellationToken);
        }
        catch (Exception e) when (cancellationToken.IsCancellationRequested && e is OperationCanceledException or RpcException or HttpRequestException or IOException)
        {
            return Record(RequestOutcome.Cancelled, "unfinished at the drain timeout");
        }
        catch (RpcException e)
        {
            return Record(RequestOutcome.Failed, $"ext_proc {e.StatusCode}");
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            return Record(RequestOutcome.Failed, $"upstream {e.GetType().Name}: {e.Message}");
        }

        RequestRecord Record(RequestOutcome outcome, string? detail) =>
            new(arrival.Index, arrival.AtSeconds, arrival.Class, outcome, detail, lag, decision, null, null, 0, 0, routedTo);

        RequestRecord Rejected(ImmediateResponse answer)
        {
            var status = (int)answer.Status.Code;
            var outcome = answer.Details switch
            {
                "picker_request_shed" => RequestOutcome.Shed,
                "picker_queue_full" => RequestOutcome.QueueFull,
                "picker_queue_expired" => RequestOutcome.Expired,
                _ => RequestOutcome.PickerRejected,
            };
            return Record(outcome, $"{status} {answer.Details}");
        }
    }

    public void Dispose() => _channel.Dispose();

    private async Task<RequestRecord> ForwardAsync(
        ScheduledArrival arrival,
        AsyncDuplexStreamingCall<ProcessingRequest, ProcessingResponse> call,
        byte[] body,
        string destination,
        double lag,
        double decision,
        long scheduled,
        CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"http://{destination}/v1/chat/completions")
        {
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Accept.Add(new System.Net.Http.Headers.MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await _pods.SendAsync(request, cancellationToken);
        var status = (int)response.StatusCode;
        var contentType = response.Content.Headers.ContentType?.ToString() ?? "application/octet-stream";
        await call.RequestStream.WriteAsync(ResponseHeaders(status, contentType), cancellationToken);

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var completion = await StreamedCompletion.ReadAsync(stream, cancellationToken);
        await call.RequestStream.WriteAsync(new ProcessingRequest
        {
            ResponseBody = new HttpBody { Body = UnsafeByteOperations.UnsafeWrap(completion.Body), EndOfStream = true },
        }, cancellationToken);
        await call.RequestStream.CompleteAsync();
        var relayed = await DrainAsync(call.ResponseStream, cancellationToken);

        var ended = Milliseconds(scheduled, completion.EndedTimestamp);
        if (status != 200)
        {
            return new RequestRecord(arrival.Index, arrival.AtSeconds, arrival.Class, RequestOutcome.UpstreamError, $"pod answered {status}", lag, decision, null, ended, 0, 0, destination);
        }

        if (relayed != completion.Body.Length || completion.FirstTokenTimestamp == 0)
        {
            var problem = completion.FirstTokenTimestamp == 0
                ? "the pod's stream carried no token"
                : $"the picker passed back {relayed} of {completion.Body.Length} response bytes";
            return new RequestRecord(arrival.Index, arrival.AtSeconds, arrival.Class, RequestOutcome.Failed, problem, lag, decision, null, ended, 0, 0, destination);
        }

        return new RequestRecord(
            arrival.Index,
            arrival.AtSeconds,
            arrival.Class,
            RequestOutcome.Completed,
            null,
            lag,
            decision,
            Milliseconds(scheduled, completion.FirstTokenTimestamp),
            ended,
            completion.PromptTokens,
            completion.OutputTokens,
            destination);
    }

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

    /// <summary>Reads the picker's answers to the response until it ends the stream; returns the response-body bytes it passed back.</summary>
    private static async Task<long> DrainAsync(IAsyncStreamReader<ProcessingResponse> answers, CancellationToken cancellationToken)
    {
        long relayed = 0;
        while (await answers.MoveNext(cancellationToken))
        {
            relayed += answers.Current.ResponseBody?.Response?.BodyMutation?.StreamedResponse?.Body.Length ?? 0;
        }

        return relayed;
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

    private static ProcessingRequest RequestHeaders(int contentLength, string requestId) => new()
    {
        RequestHeaders = new HttpHeaders
        {
            Headers = new HeaderMap
            {
                Headers =
                {
                    Header(":authority", "inference-gateway.overload.svc:8080"),
                    Header(":path", "/v1/chat/completions"),
                    Header(":method", "POST"),
                    Header(":scheme", "http"),
                    Header("content-type", "application/json"),
                    Header("content-length", contentLength.ToString(CultureInfo.InvariantCulture)),
                    Header("accept", "text/event-stream"),
                    Header("user-agent", "OpenAI/Python 1.54.0"),
                    Header("x-forwarded-proto", "http"),
                    Header("x-request-id", requestId),
                },
            },
            EndOfStream = false,
        },
        ProtocolConfig = FullDuplex,
    };

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
