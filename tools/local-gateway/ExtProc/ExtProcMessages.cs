using System.Globalization;
using Envoy.Config.Core.V3;
using Envoy.Service.ExtProc.V3;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.AspNetCore.Http;
using static Envoy.Extensions.Filters.Http.ExtProc.V3.ProcessingMode.Types;

namespace Suite.LocalGateway.ExtProc;

/// <summary>The messages Envoy's ext_proc filter sends in FULL_DUPLEX_STREAMED mode, built from ASP.NET Core's request and response.</summary>
internal static class ExtProcMessages
{
    /// <summary>Envoy splits bodies into buffers of this size at most; the picker sees the same chunking.</summary>
    public const int BodyChunkBytes = 64 * 1024;

    private static readonly ProtocolConfiguration FullDuplex = new()
    {
        RequestBodyMode = BodySendMode.FullDuplexStreamed,
        ResponseBodyMode = BodySendMode.FullDuplexStreamed,
    };

    /// <summary>The request headers, pseudo-headers first as HTTP/2 has them, with the protocol and the subset hint.</summary>
    public static ProcessingRequest RequestHeaders(HttpRequest request, bool hasBody, IReadOnlyList<string> subset)
    {
        var map = new HeaderMap();
        map.Headers.Add(Header(":authority", request.Host.Value ?? ""));
        map.Headers.Add(Header(":path", $"{request.PathBase}{request.Path}{request.QueryString}"));
        map.Headers.Add(Header(":method", request.Method));
        map.Headers.Add(Header(":scheme", request.Scheme));
        foreach (var (name, values) in request.Headers)
        {
            if (name.StartsWith(':'))
            {
                continue;
            }

            foreach (var value in values)
            {
                map.Headers.Add(Header(name.ToLowerInvariant(), value ?? ""));
            }
        }

        var message = new ProcessingRequest
        {
            RequestHeaders = new HttpHeaders { Headers = map, EndOfStream = !hasBody },
            ProtocolConfig = FullDuplex,
        };
        if (subset.Count > 0)
        {
            message.MetadataContext = LbMetadata(GatewayNames.DestinationEndpointSubset, Value.ForList([.. subset.Select(Value.ForString)]));
        }

        return message;
    }

    public static IEnumerable<ProcessingRequest> RequestBody(ReadOnlyMemory<byte> body)
    {
        for (var offset = 0; offset < body.Length; offset += BodyChunkBytes)
        {
            var length = Math.Min(BodyChunkBytes, body.Length - offset);
            yield return new ProcessingRequest
            {
                RequestBody = new HttpBody
                {
                    Body = UnsafeByteOperations.UnsafeWrap(body.Slice(offset, length)),
                    EndOfStream = offset + length == body.Length,
                },
            };
        }
    }

    /// <summary>The model server's status and headers, with the endpoint that really served the request.</summary>
    public static ProcessingRequest ResponseHeaders(HttpResponse response, string servedEndpoint)
    {
        var map = new HeaderMap();
        map.Headers.Add(Header(":status", response.StatusCode.ToString(CultureInfo.InvariantCulture)));
        foreach (var (name, values) in response.Headers)
        {
            foreach (var value in values)
            {
                map.Headers.Add(Header(name.ToLowerInvariant(), value ?? ""));
            }
        }

        return new ProcessingRequest
        {
            ResponseHeaders = new HttpHeaders { Headers = map, EndOfStream = false },
            MetadataContext = LbMetadata(GatewayNames.DestinationEndpointServed, Value.ForString(servedEndpoint)),
        };
    }

    public static ProcessingRequest ResponseBody(ReadOnlyMemory<byte> chunk, bool endOfStream) => new()
    {
        ResponseBody = new HttpBody { Body = ByteString.CopyFrom(chunk.Span), EndOfStream = endOfStream },
    };

    private static Metadata LbMetadata(string key, Value value)
    {
        var lb = new Struct();
        lb.Fields[key] = value;
        var metadata = new Metadata();
        metadata.FilterMetadata[GatewayNames.LbMetadataNamespace] = lb;
        return metadata;
    }

    private static HeaderValue Header(string key, string value) => new() { Key = key, RawValue = ByteString.CopyFromUtf8(value) };
}
