using System.Text;
using Envoy.Service.ExtProc.V3;
using Suite.Picker.FunctionalTests.Infrastructure;
using static Suite.Picker.FunctionalTests.Infrastructure.ResponseAssertions;

namespace Suite.Picker.FunctionalTests.ExtProc;

/// <summary>The request half of the protocol in FULL_DUPLEX_STREAMED mode, the way Envoy Gateway configures it.</summary>
public sealed class RequestRoutingTests : IDisposable
{
    private const string ChatBody =
        """{"model":"sql-lora","messages":[{"role":"user","content":"List the tables."}],"stream":false,"temperature":0.2}""";

    private readonly PickerFactory _picker = new();

    public RequestRoutingTests()
    {
        _picker.Publish(
            PickerFactory.Endpoint("10.0.0.1:8000", waiting: 6, kv: 0.9),
            PickerFactory.Endpoint("10.0.0.2:8000", waiting: 0, kv: 0.2),
            PickerFactory.Endpoint("10.0.0.3:8000", waiting: 3, kv: 0.5));
    }

    [Fact]
    public async Task Process_ChatRequest_RoutesToLeastLoadedPodWithDestinationHeaderAndLbMetadata()
    {
        await using var envoy = _picker.OpenStream();

        await envoy.SendRequestHeadersAsync();
        await envoy.SendRequestBodyAsync(Encoding.UTF8.GetBytes(ChatBody), endOfStream: true);
        var headers = await envoy.ReadAsync();

        Assert.Equal(ProcessingResponse.ResponseOneofCase.RequestHeaders, headers.ResponseCase);
        Assert.True(headers.RequestHeaders.Response.ClearRouteCache);
        Assert.Equal("10.0.0.2:8000", SetHeader(headers.RequestHeaders.Response, "x-gateway-destination-endpoint"));
        Assert.Equal("10.0.0.2:8000", LbMetadataDestination(headers));
        Assert.Null(SetHeader(headers.RequestHeaders.Response, "content-length"));
    }

    [Fact]
    public async Task Process_ChatRequest_ReturnsBodyUnchangedAsStreamedChunks()
    {
        await using var envoy = _picker.OpenStream();

        await envoy.SendRequestHeadersAsync();
        await envoy.SendRequestBodyAsync(Encoding.UTF8.GetBytes(ChatBody), endOfStream: true);
        await envoy.ReadAsync();
        var (body, chunks, _) = await envoy.ReadStreamedRequestBodyAsync();

        Assert.Equal(ChatBody, Encoding.UTF8.GetString(body));
        Assert.Equal(1, chunks);
    }

    [Fact]
    public async Task Process_HeadersBeforeBodyEnds_HoldsTheHeadersAnswerUntilTheBodyIsComplete()
    {
        await using var envoy = _picker.OpenStream();
        var bytes = Encoding.UTF8.GetBytes(ChatBody);

        await envoy.SendRequestHeadersAsync();
        await envoy.SendRequestBodyAsync(bytes.AsSpan(0, 20), endOfStream: false);
        await envoy.SendRequestBodyAsync(bytes.AsSpan(20), endOfStream: true);
        var first = await envoy.ReadAsync();

        // Had the picker answered early, the first message would be an answer without the destination.
        Assert.Equal("10.0.0.2:8000", SetHeader(first.RequestHeaders.Response, "x-gateway-destination-endpoint"));
    }

    [Fact]
    public async Task Process_BodySplitInsideTheModelKeyAndValue_FindsTheModelAndKeepsEveryByte()
    {
        _picker.Publish(
            PickerFactory.Endpoint("10.0.0.1:8000", activeAdapters: ["sql-lora"], maxLora: 2),
            PickerFactory.Endpoint("10.0.0.2:8000", activeAdapters: ["chat-lora", "other-lora"], maxLora: 2));
        await using var envoy = _picker.OpenStream();
        var bytes = Encoding.UTF8.GetBytes(ChatBody);

        await envoy.SendRequestHeadersAsync();
        await envoy.SendRequestBodyAsync(bytes.AsSpan(0, 4), endOfStream: false);   // {"mo
        await envoy.SendRequestBodyAsync(bytes.AsSpan(4, 9), endOfStream: false);   // del":"sql
        await envoy.SendRequestBodyAsync(bytes.AsSpan(13, 1), endOfStream: false);
        await envoy.SendRequestBodyAsync(bytes.AsSpan(14), endOfStream: true);
        var headers = await envoy.ReadAsync();
        var (body, _, _) = await envoy.ReadStreamedRequestBodyAsync();

        Assert.Equal("10.0.0.1:8000", SetHeader(headers.RequestHeaders.Response, "x-gateway-destination-endpoint"));
        Assert.Equal(bytes, body);
    }

    [Fact]
    public async Task Process_BodyInThousandsOfOneByteChunks_RoutesAndReturnsEveryByte()
    {
        var bytes = Encoding.UTF8.GetBytes(ChatBody.Replace("List the tables.", new string('q', 3000), StringComparison.Ordinal));
        await using var envoy = _picker.OpenStream();

        await envoy.SendRequestHeadersAsync();
        for (var i = 0; i < bytes.Length; i++)
        {
            await envoy.SendRequestBodyAsync(bytes.AsSpan(i, 1), endOfStream: i == bytes.Length - 1);
        }

        var headers = await envoy.ReadAsync();
        var (body, _, _) = await envoy.ReadStreamedRequestBodyAsync();

        Assert.Equal("10.0.0.2:8000", SetHeader(headers.RequestHeaders.Response, "x-gateway-destination-endpoint"));
        Assert.Equal(bytes, body);
    }

    [Fact]
    public async Task Process_HeaderOnlyRequest_StillGetsAnEndpoint()
    {
        await using var envoy = _picker.OpenStream();

        await envoy.SendRequestHeadersAsync(path: "/v1/models", endOfStream: true);
        var headers = await envoy.ReadAsync();

        Assert.Equal("10.0.0.2:8000", SetHeader(headers.RequestHeaders.Response, "x-gateway-destination-endpoint"));
        Assert.True(headers.RequestHeaders.Response.ClearRouteCache);
    }

    [Fact]
    public async Task Process_BodyLargerThanOneChunk_ComesBackInChunksOfAtMost64KiB()
    {
        var prompt = new string('x', 200_000);
        var bytes = Encoding.UTF8.GetBytes($$"""{"model":"base-model","prompt":"{{prompt}}"}""");
        await using var envoy = _picker.OpenStream();

        await envoy.SendRequestHeadersAsync(path: "/v1/completions");
        for (var offset = 0; offset < bytes.Length; offset += 16_384)
        {
            var length = Math.Min(16_384, bytes.Length - offset);
            await envoy.SendRequestBodyAsync(bytes.AsSpan(offset, length), endOfStream: offset + length == bytes.Length);
        }

        await envoy.ReadAsync();
        var (body, chunks, largest) = await envoy.ReadStreamedRequestBodyAsync();

        Assert.Equal(bytes, body);
        Assert.Equal(4, chunks);
        Assert.Equal(65_536, largest);
    }

    [Fact]
    public async Task Process_ModelRewriteHeader_SplicesTheNewNameAndSetsContentLength()
    {
        const string original = """{ "model" : "food-review",  "prompt":"Is this tasty?", "max_tokens": 7 }""";
        const string expected = """{ "model" : "food-review-v2",  "prompt":"Is this tasty?", "max_tokens": 7 }""";
        await using var envoy = _picker.OpenStream();

        await envoy.SendRequestHeadersAsync(
            path: "/v1/completions",
            headers: new Dictionary<string, string> { ["x-gateway-model-name-rewrite"] = "food-review-v2" });
        await envoy.SendRequestBodyAsync(Encoding.UTF8.GetBytes(original), endOfStream: true);
        var headers = await envoy.ReadAsync();
        var (body, _, _) = await envoy.ReadStreamedRequestBodyAsync();

        Assert.Equal(expected, Encoding.UTF8.GetString(body));
        Assert.Equal(
            Encoding.UTF8.GetByteCount(expected).ToString(System.Globalization.CultureInfo.InvariantCulture),
            SetHeader(headers.RequestHeaders.Response, "content-length"));
        Assert.Equal(["x-gateway-model-name-rewrite"], headers.RequestHeaders.Response.HeaderMutation.RemoveHeaders);
    }

    [Fact]
    public async Task Process_GatewayOwnedHeaders_AreConsumedAndNotForwarded()
    {
        await using var envoy = _picker.OpenStream();

        await envoy.SendRequestHeadersAsync(headers: new Dictionary<string, string>
        {
            ["x-gateway-inference-objective"] = "interactive",
            ["x-gateway-inference-fairness-id"] = "tenant-a",
            ["x-gateway-destination-endpoint"] = "6.6.6.6:80",
            ["x-request-id"] = "req-42",
        });
        await envoy.SendRequestBodyAsync(Encoding.UTF8.GetBytes(ChatBody), endOfStream: true);
        var headers = (await envoy.ReadAsync()).RequestHeaders.Response;

        Assert.Equal(
            ["x-gateway-inference-objective", "x-gateway-inference-fairness-id"],
            headers.HeaderMutation.RemoveHeaders);
        // A client-supplied destination is overwritten, never trusted.
        var destination = Assert.Single(headers.HeaderMutation.SetHeaders, h => h.Header.Key == "x-gateway-destination-endpoint");
        Assert.Equal("10.0.0.2:8000", destination.Header.RawValue.ToStringUtf8());
        Assert.Equal(
            Envoy.Config.Core.V3.HeaderValueOption.Types.HeaderAppendAction.OverwriteIfExistsOrAdd,
            destination.AppendAction);
        // The client's request id is kept as it is.
        Assert.Null(SetHeader(headers, "x-request-id"));
    }

    [Fact]
    public async Task Process_NoRequestId_GeneratesOne()
    {
        await using var envoy = _picker.OpenStream();

        await envoy.SendRequestHeadersAsync();
        await envoy.SendRequestBodyAsync(Encoding.UTF8.GetBytes(ChatBody), endOfStream: true);
        var headers = (await envoy.ReadAsync()).RequestHeaders.Response;

        Assert.Matches("^[0-9a-f]{32}$", SetHeader(headers, "x-request-id"));
    }

    [Fact]
    public async Task Process_TwoDestinationsConfigured_ListsPrimaryThenFallback()
    {
        using var picker = new PickerFactory().WithProfile("destinations: 2\n");
        picker.Publish(
            PickerFactory.Endpoint("10.0.0.1:8000", waiting: 6, kv: 0.9),
            PickerFactory.Endpoint("10.0.0.2:8000", waiting: 0, kv: 0.2),
            PickerFactory.Endpoint("10.0.0.3:8000", waiting: 3, kv: 0.5));
        await using var envoy = picker.OpenStream();

        await envoy.SendRequestHeadersAsync();
        await envoy.SendRequestBodyAsync(Encoding.UTF8.GetBytes(ChatBody), endOfStream: true);
        var headers = await envoy.ReadAsync();

        Assert.Equal("10.0.0.2:8000,10.0.0.3:8000", SetHeader(headers.RequestHeaders.Response, "x-gateway-destination-endpoint"));
        Assert.Equal("10.0.0.2:8000,10.0.0.3:8000", LbMetadataDestination(headers));
    }

    [Fact]
    public async Task Process_TrailersEndTheBody_RoutesAndAnswersTheTrailers()
    {
        await using var envoy = _picker.OpenStream();
        var bytes = Encoding.UTF8.GetBytes(ChatBody);

        await envoy.SendRequestHeadersAsync();
        await envoy.SendRequestBodyAsync(bytes, endOfStream: false);
        await envoy.SendRequestTrailersAsync();
        var headers = await envoy.ReadAsync();
        var body = await envoy.ReadAsync();
        var trailers = await envoy.ReadAsync();

        Assert.Equal("10.0.0.2:8000", SetHeader(headers.RequestHeaders.Response, "x-gateway-destination-endpoint"));
        Assert.Equal(bytes, body.RequestBody.Response.BodyMutation.StreamedResponse.Body.ToByteArray());
        Assert.False(body.RequestBody.Response.BodyMutation.StreamedResponse.EndOfStream);
        Assert.Equal(ProcessingResponse.ResponseOneofCase.RequestTrailers, trailers.ResponseCase);
    }

    public void Dispose() => _picker.Dispose();
}
