using System.Buffers.Binary;
using System.Globalization;
using Envoy.Config.Core.V3;
using Envoy.Service.ExtProc.V3;
using Google.Protobuf;
using static Envoy.Extensions.Filters.Http.ExtProc.V3.ProcessingMode.Types;

namespace Suite.Picker.LoadTest;

/// <summary>
/// Writes the request side of one ext_proc exchange as gRPC length-prefixed frames, for h2load's <c>--data</c>:
/// request headers, the whole body (end of stream), then the client half-closes. h2load is a C HTTP/2 client that
/// costs far less CPU per request than Grpc.Net.Client, so on two shared cores it leaves the picker its CPU.
/// </summary>
internal static class H2LoadData
{
    public static void Write(byte[] body, string path)
    {
        var headers = new HeaderMap();
        foreach (var (key, value) in new[]
        {
            (":authority", "inference-gateway.bench.svc:8080"),
            (":path", "/v1/chat/completions"),
            (":method", "POST"),
            (":scheme", "http"),
            ("content-type", "application/json"),
            ("content-length", body.Length.ToString(CultureInfo.InvariantCulture)),
            ("accept", "application/json"),
        })
        {
            headers.Headers.Add(new HeaderValue { Key = key, RawValue = ByteString.CopyFromUtf8(value) });
        }

        var messages = new[]
        {
            new ProcessingRequest
            {
                RequestHeaders = new HttpHeaders { Headers = headers },
                ProtocolConfig = new ProtocolConfiguration
                {
                    RequestBodyMode = BodySendMode.FullDuplexStreamed,
                    ResponseBodyMode = BodySendMode.FullDuplexStreamed,
                },
            },
            new ProcessingRequest { RequestBody = new HttpBody { Body = ByteString.CopyFrom(body), EndOfStream = true } },
        };

        using var file = File.Create(path);
        Span<byte> prefix = stackalloc byte[5];
        foreach (var message in messages)
        {
            prefix[0] = 0; // not compressed
            BinaryPrimitives.WriteUInt32BigEndian(prefix[1..], (uint)message.CalculateSize());
            file.Write(prefix);
            message.WriteTo(file);
        }
    }
}
