using System.Diagnostics;
using System.Globalization;
using Envoy.Config.Core.V3;
using Envoy.Service.ExtProc.V3;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Suite.Bench;
using static Envoy.Extensions.Filters.Http.ExtProc.V3.ProcessingMode.Types;

namespace Suite.Picker.LoadTest;

/// <summary>When one exchange reached each milestone (Stopwatch timestamps), or why it failed.</summary>
internal readonly record struct ExchangeTiming(long Sent, long Decided, long Finished, string? Error)
{
    public static ExchangeTiming Failed(long sent, string error) => new(sent, 0, Stopwatch.GetTimestamp(), error);
}

/// <summary>
/// Plays Envoy's ext_proc filter for one HTTP request in FULL_DUPLEX_STREAMED mode, over a few shared h2c
/// connections: request headers (not end of stream) and the body are sent without waiting; the first answer must
/// be the request-headers response carrying the destination; the body comes back as streamed chunks; then the
/// response headers (end of stream) go out and their answer is read, and the stream is closed.
/// </summary>
internal sealed class EnvoyEmulator : IDisposable
{
    private const string DestinationHeader = "x-gateway-destination-endpoint";

    private static readonly HeaderValue[] FixedHeaders =
    [
        Header(":authority", "inference-gateway.bench.svc:8080"),
        Header(":path", "/v1/chat/completions"),
        Header(":method", "POST"),
        Header(":scheme", "http"),
        Header("content-type", "application/json"),
        Header("accept", "application/json"),
        Header("user-agent", "OpenAI/Python 1.54.0"),
        Header("x-forwarded-proto", "http"),
    ];

    private static readonly ProtocolConfiguration FullDuplex = new()
    {
        RequestBodyMode = BodySendMode.FullDuplexStreamed,
        ResponseBodyMode = BodySendMode.FullDuplexStreamed,
    };

    private static readonly HeaderMap ResponseHeaderMap = new()
    {
        Headers = { Header(":status", "200"), Header("content-type", "text/event-stream"), Header("x-envoy-upstream-service-time", "42") },
    };

    private readonly GrpcChannel[] _channels;
    private readonly ExternalProcessor.ExternalProcessorClient[] _clients;
    private readonly ByteString[] _bodies;
    private readonly HeaderValue[] _contentLengths;
    private readonly int _chunkBytes;
    private readonly TimeSpan _timeout;
    private int _inFlight;

    public EnvoyEmulator(Uri target, int connections, byte[][] bodies, int chunkBytes, TimeSpan timeout)
    {
        _channels = new GrpcChannel[connections];
        _clients = new ExternalProcessor.ExternalProcessorClient[connections];
        for (var i = 0; i < connections; i++)
        {
            var handler = new SocketsHttpHandler
            {
                // Each channel starts on its own connection; more open only past the server's stream limit.
                EnableMultipleHttp2Connections = true,
                PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
                ConnectTimeout = TimeSpan.FromSeconds(5),
            };
            _channels[i] = GrpcChannel.ForAddress(target, new GrpcChannelOptions
            {
                HttpHandler = handler,
                DisposeHttpClient = true,
                MaxReceiveMessageSize = 64 * 1024 * 1024,
                MaxSendMessageSize = 64 * 1024 * 1024,
            });
            _clients[i] = new ExternalProcessor.ExternalProcessorClient(_channels[i]);
        }

        _bodies = new ByteString[bodies.Length];
        _contentLengths = new HeaderValue[bodies.Length];
        for (var i = 0; i < bodies.Length; i++)
        {
            _bodies[i] = ByteString.CopyFrom(bodies[i]);
            _contentLengths[i] = Header("content-length", bodies[i].Length.ToString(CultureInfo.InvariantCulture));
        }

        _chunkBytes = chunkBytes <= 0 ? int.MaxValue : chunkBytes;
        _timeout = timeout;
    }

    public int InFlight => Volatile.Read(ref _inFlight);

    public async Task<ExchangeTiming> ExchangeAsync(long index)
    {
        Interlocked.Increment(ref _inFlight);
        var sent = Stopwatch.GetTimestamp();
        try
        {
            return await ExchangeCoreAsync(index, sent);
        }
        catch (RpcException e)
        {
            return ExchangeTiming.Failed(sent, $"grpc {e.StatusCode}");
        }
        catch (Exception e)
        {
            // Whatever went wrong is one failed request, counted by kind; the run goes on.
            return ExchangeTiming.Failed(sent, e.GetType().Name);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private async Task<ExchangeTiming> ExchangeCoreAsync(long index, long sent)
    {
        var client = _clients[index % _clients.Length];
        var which = (int)(index % _bodies.Length);
        var body = _bodies[which];
        using var call = client.Process(deadline: DateTime.UtcNow + _timeout);
        var requests = call.RequestStream;
        var responses = call.ResponseStream;

        var headers = new HeaderMap { Headers = { FixedHeaders } };
        headers.Headers.Add(_contentLengths[which]);
        headers.Headers.Add(Header("x-request-id", Guid.NewGuid().ToString()));
        await requests.WriteAsync(new ProcessingRequest
        {
            RequestHeaders = new HttpHeaders { Headers = headers, EndOfStream = false },
            ProtocolConfig = FullDuplex,
        });

        for (var offset = 0; offset < body.Length; offset += _chunkBytes)
        {
            var length = Math.Min(_chunkBytes, body.Length - offset);
            var chunk = length == body.Length ? body : UnsafeByteOperations.UnsafeWrap(body.Memory.Slice(offset, length));
            await requests.WriteAsync(new ProcessingRequest
            {
                RequestBody = new HttpBody { Body = chunk, EndOfStream = offset + length == body.Length },
            });
        }

        if (!await responses.MoveNext(CancellationToken.None))
        {
            return ExchangeTiming.Failed(sent, "stream ended before the routing decision");
        }

        var decided = Stopwatch.GetTimestamp();
        var decision = responses.Current;
        if (decision.ResponseCase == ProcessingResponse.ResponseOneofCase.ImmediateResponse)
        {
            return ExchangeTiming.Failed(sent, $"immediate response {(int)decision.ImmediateResponse.Status.Code}");
        }

        if (decision.ResponseCase != ProcessingResponse.ResponseOneofCase.RequestHeaders)
        {
            return ExchangeTiming.Failed(sent, $"first answer was {decision.ResponseCase}, not RequestHeaders");
        }

        if (!HasDestination(decision.RequestHeaders))
        {
            return ExchangeTiming.Failed(sent, $"request-headers answer without {DestinationHeader}");
        }

        long returned = 0;
        while (true)
        {
            if (!await responses.MoveNext(CancellationToken.None))
            {
                return ExchangeTiming.Failed(sent, "stream ended inside the streamed body");
            }

            var streamed = responses.Current.RequestBody?.Response?.BodyMutation?.StreamedResponse;
            if (streamed is null)
            {
                return ExchangeTiming.Failed(sent, $"expected a streamed body chunk, got {responses.Current.ResponseCase}");
            }

            returned += streamed.Body.Length;
            if (streamed.EndOfStream)
            {
                break;
            }
        }

        if (returned != body.Length)
        {
            return ExchangeTiming.Failed(sent, "streamed body length differs from the body sent");
        }

        await requests.WriteAsync(new ProcessingRequest
        {
            ResponseHeaders = new HttpHeaders { Headers = ResponseHeaderMap, EndOfStream = true },
        });
        if (!await responses.MoveNext(CancellationToken.None)
            || responses.Current.ResponseCase != ProcessingResponse.ResponseOneofCase.ResponseHeaders)
        {
            return ExchangeTiming.Failed(sent, "no response-headers answer");
        }

        await requests.CompleteAsync();
        while (await responses.MoveNext(CancellationToken.None))
        {
        }

        var status = call.GetStatus();
        return status.StatusCode == StatusCode.OK
            ? new ExchangeTiming(sent, decided, Stopwatch.GetTimestamp(), null)
            : ExchangeTiming.Failed(sent, $"grpc {status.StatusCode}");
    }

    public void Dispose()
    {
        foreach (var channel in _channels)
        {
            channel.Dispose();
        }
    }

    private static bool HasDestination(HeadersResponse answer)
    {
        var mutation = answer.Response?.HeaderMutation;
        if (mutation is null)
        {
            return false;
        }

        foreach (var option in mutation.SetHeaders)
        {
            if (option.Header?.Key == DestinationHeader && (!option.Header.RawValue.IsEmpty || option.Header.Value.Length > 0))
            {
                return true;
            }
        }

        return false;
    }

    private static HeaderValue Header(string key, string value) => new() { Key = key, RawValue = ByteString.CopyFromUtf8(value) };
}
