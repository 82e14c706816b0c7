using System.Text;
using Envoy.Config.Core.V3;
using Envoy.Service.ExtProc.V3;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Metadata = Envoy.Config.Core.V3.Metadata;
using Grpc.Net.Client;
using static Envoy.Extensions.Filters.Http.ExtProc.V3.ProcessingMode.Types;

namespace Suite.Picker.FunctionalTests.Infrastructure;

/// <summary>
/// Plays Envoy's side of one ext_proc stream: the same messages, in the same order, with header values in
/// <c>raw_value</c> and lower-case keys, as Envoy's ext_proc filter sends them.
/// </summary>
public sealed class EnvoyExchange : IAsyncDisposable
{
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(10);

    private readonly AsyncDuplexStreamingCall<ProcessingRequest, ProcessingResponse> _call;
    private readonly CancellationTokenSource _cancel = new();

    public EnvoyExchange(GrpcChannel channel)
    {
        _call = new ExternalProcessor.ExternalProcessorClient(channel).Process(cancellationToken: _cancel.Token);
    }

    public Task SendRequestHeadersAsync(
        string path = "/v1/chat/completions",
        bool endOfStream = false,
        IReadOnlyDictionary<string, string>? headers = null,
        string[]? subset = null,
        BodySendMode? requestBodyMode = null,
        BodySendMode responseBodyMode = BodySendMode.FullDuplexStreamed)
    {
        var map = new HeaderMap();
        map.Headers.Add(Header(":method", "POST"));
        map.Headers.Add(Header(":path", path));
        map.Headers.Add(Header(":authority", "gateway.example"));
        map.Headers.Add(Header("content-type", "application/json"));
        foreach (var (key, value) in headers ?? new Dictionary<string, string>())
        {
            map.Headers.Add(Header(key, value));
        }

        var message = new ProcessingRequest { RequestHeaders = new HttpHeaders { Headers = map, EndOfStream = endOfStream } };
        if (subset is not null)
        {
            message.MetadataContext = SubsetMetadata(subset);
        }

        if (requestBodyMode is { } mode)
        {
            message.ProtocolConfig = new ProtocolConfiguration { RequestBodyMode = mode, ResponseBodyMode = responseBodyMode };
        }

        return _call.RequestStream.WriteAsync(message);
    }

    /// <summary>Sends a message as built by the test, for what the helpers here do not cover (odd header maps, reused buffers).</summary>
    public Task SendAsync(ProcessingRequest message) => _call.RequestStream.WriteAsync(message);

    public Task SendRequestBodyAsync(ReadOnlySpan<byte> chunk, bool endOfStream) =>
        _call.RequestStream.WriteAsync(new ProcessingRequest
        {
            RequestBody = new HttpBody { Body = ByteString.CopyFrom(chunk), EndOfStream = endOfStream },
        });

    public Task SendRequestTrailersAsync() =>
        _call.RequestStream.WriteAsync(new ProcessingRequest { RequestTrailers = new HttpTrailers { Trailers = new HeaderMap() } });

    public Task SendResponseHeadersAsync(
        string contentType = "application/json", bool endOfStream = false, string? servedEndpoint = null, int status = 200)
    {
        var map = new HeaderMap();
        map.Headers.Add(Header(":status", status.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        map.Headers.Add(Header("content-type", contentType));
        var message = new ProcessingRequest { ResponseHeaders = new HttpHeaders { Headers = map, EndOfStream = endOfStream } };
        if (servedEndpoint is not null)
        {
            var lb = new Struct();
            lb.Fields["x-gateway-destination-endpoint-served"] = Value.ForString(servedEndpoint);
            message.MetadataContext = new Metadata { FilterMetadata = { ["envoy.lb"] = lb } };
        }

        return _call.RequestStream.WriteAsync(message);
    }

    public Task SendResponseBodyAsync(string chunk, bool endOfStream) =>
        _call.RequestStream.WriteAsync(new ProcessingRequest
        {
            ResponseBody = new HttpBody { Body = ByteString.CopyFromUtf8(chunk), EndOfStream = endOfStream },
        });

    public Task SendResponseTrailersAsync() =>
        _call.RequestStream.WriteAsync(new ProcessingRequest { ResponseTrailers = new HttpTrailers { Trailers = new HeaderMap() } });

    public Task CompleteAsync() => _call.RequestStream.CompleteAsync();

    public void Cancel() => _cancel.Cancel();

    public async Task<ProcessingResponse> ReadAsync()
    {
        using var timeout = new CancellationTokenSource(ReadTimeout);
        Assert.True(await _call.ResponseStream.MoveNext(timeout.Token), "the picker ended the stream instead of answering");
        return _call.ResponseStream.Current;
    }

    /// <summary>Reads streamed request-body chunks until end_of_stream and returns them concatenated.</summary>
    public async Task<(byte[] Body, int Chunks, int LargestChunk)> ReadStreamedRequestBodyAsync()
    {
        var body = new MemoryStream();
        var chunks = 0;
        var largest = 0;
        while (true)
        {
            var response = await ReadAsync();
            Assert.Equal(ProcessingResponse.ResponseOneofCase.RequestBody, response.ResponseCase);
            var streamed = response.RequestBody.Response.BodyMutation.StreamedResponse;
            streamed.Body.WriteTo(body);
            chunks++;
            largest = Math.Max(largest, streamed.Body.Length);
            if (streamed.EndOfStream)
            {
                return (body.ToArray(), chunks, largest);
            }
        }
    }

    /// <summary>True when the picker closed its side without sending anything more.</summary>
    public async Task<bool> EndedAsync()
    {
        using var timeout = new CancellationTokenSource(ReadTimeout);
        return !await _call.ResponseStream.MoveNext(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _cancel.CancelAsync();
        _call.Dispose();
        _cancel.Dispose();
    }

    public static HeaderValue Header(string key, string value) =>
        new() { Key = key, RawValue = ByteString.CopyFrom(Encoding.UTF8.GetBytes(value)) };

    private static Metadata SubsetMetadata(string[] subset)
    {
        var list = new ListValue();
        foreach (var entry in subset)
        {
            list.Values.Add(Value.ForString(entry));
        }

        var lb = new Struct();
        lb.Fields["x-gateway-destination-endpoint-subset"] = new Value { ListValue = list };
        return new Metadata { FilterMetadata = { ["envoy.lb"] = lb } };
    }
}
