using Envoy.Config.Core.V3;
using Envoy.Service.ExtProc.V3;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace Suite.Picker.ExtProc;

/// <summary>Builds the ext_proc messages the picker sends back to the gateway.</summary>
internal static class ProcessingResponses
{
    /// <summary>Body chunks go back no larger than this, as the endpoint picker protocol asks.</summary>
    public const int MaxChunkBytes = 64 * 1024;

    public static ProcessingResponse ContinueRequestHeaders() =>
        new() { RequestHeaders = new HeadersResponse { Response = new CommonResponse() } };

    public static ProcessingResponse ContinueResponseHeaders(HeaderMutation? mutation) =>
        new() { ResponseHeaders = new HeadersResponse { Response = new CommonResponse { HeaderMutation = mutation } } };

    public static ProcessingResponse ContinueRequestBody() =>
        new() { RequestBody = new BodyResponse { Response = new CommonResponse() } };

    public static ProcessingResponse ContinueResponseBody() =>
        new() { ResponseBody = new BodyResponse { Response = new CommonResponse() } };

    public static ProcessingResponse RequestTrailers() => new() { RequestTrailers = new TrailersResponse() };

    public static ProcessingResponse ResponseTrailers() => new() { ResponseTrailers = new TrailersResponse() };

    /// <summary>The routing answer on the request-headers message (FULL_DUPLEX_STREAMED or no body).</summary>
    public static ProcessingResponse RoutedRequestHeaders(HeaderMutation mutation, string destination) => new()
    {
        RequestHeaders = new HeadersResponse
        {
            Response = new CommonResponse { HeaderMutation = mutation, ClearRouteCache = true },
        },
        DynamicMetadata = DestinationMetadata(destination),
    };

    /// <summary>The routing answer on the request-body message (BUFFERED), with the whole body when it changed.</summary>
    public static ProcessingResponse RoutedRequestBody(HeaderMutation mutation, string destination, ByteString? newBody) => new()
    {
        RequestBody = new BodyResponse
        {
            Response = new CommonResponse
            {
                HeaderMutation = mutation,
                ClearRouteCache = true,
                BodyMutation = newBody is null ? null : new BodyMutation { Body = newBody },
            },
        },
        DynamicMetadata = DestinationMetadata(destination),
    };

    public static ProcessingResponse StreamedRequestBody(ByteString chunk, bool endOfStream) => new()
    {
        RequestBody = new BodyResponse { Response = StreamedChunk(chunk, endOfStream) },
    };

    public static ProcessingResponse StreamedResponseBody(ByteString chunk, bool endOfStream) => new()
    {
        ResponseBody = new BodyResponse { Response = StreamedChunk(chunk, endOfStream) },
    };

    public static HeaderValueOption Overwrite(string key, string value) => new()
    {
        Header = new HeaderValue { Key = key, RawValue = ByteString.CopyFromUtf8(value) },
        AppendAction = HeaderValueOption.Types.HeaderAppendAction.OverwriteIfExistsOrAdd,
    };

    private static CommonResponse StreamedChunk(ByteString chunk, bool endOfStream) => new()
    {
        BodyMutation = new BodyMutation
        {
            StreamedResponse = new StreamedBodyResponse { Body = chunk, EndOfStream = endOfStream },
        },
    };

    private static Struct DestinationMetadata(string destination)
    {
        var lb = new Struct();
        lb.Fields[GatewayHeaders.DestinationEndpoint] = Value.ForString(destination);
        var metadata = new Struct();
        metadata.Fields[GatewayHeaders.LbMetadataNamespace] = Value.ForStruct(lb);
        return metadata;
    }
}
