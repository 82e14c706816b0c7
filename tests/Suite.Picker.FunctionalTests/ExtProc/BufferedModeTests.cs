using System.Text;
using Envoy.Service.ExtProc.V3;
using Suite.Picker.FunctionalTests.Infrastructure;
using static Envoy.Extensions.Filters.Http.ExtProc.V3.ProcessingMode.Types;
using static Suite.Picker.FunctionalTests.Infrastructure.ResponseAssertions;

namespace Suite.Picker.FunctionalTests.ExtProc;

/// <summary>
/// BUFFERED request bodies: the gateway waits for the headers answer before it sends the body, so the routing
/// rides on the body answer.
/// </summary>
public sealed class BufferedModeTests : IDisposable
{
    private readonly PickerFactory _picker = new();

    public BufferedModeTests()
    {
        _picker.Publish(
            PickerFactory.Endpoint("10.0.0.1:8000", waiting: 4),
            PickerFactory.Endpoint("10.0.0.2:8000", waiting: 1));
    }

    [Fact]
    public async Task Process_AnnouncedBuffered_AnswersHeadersAtOnceWithoutRouting()
    {
        await using var envoy = _picker.OpenStream();

        await envoy.SendRequestHeadersAsync(requestBodyMode: BodySendMode.Buffered);
        var headers = await envoy.ReadAsync();

        Assert.Equal(ProcessingResponse.ResponseOneofCase.RequestHeaders, headers.ResponseCase);
        Assert.Null(headers.RequestHeaders.Response.HeaderMutation);
        Assert.False(headers.RequestHeaders.Response.ClearRouteCache);
        Assert.Null(headers.DynamicMetadata);
    }

    [Fact]
    public async Task Process_AnnouncedBuffered_RoutesOnTheBodyAnswerWithoutEchoingTheBody()
    {
        await using var envoy = _picker.OpenStream();

        await envoy.SendRequestHeadersAsync(requestBodyMode: BodySendMode.Buffered);
        await envoy.ReadAsync();
        await envoy.SendRequestBodyAsync("""{"model":"m","messages":[]}"""u8, endOfStream: true);
        var body = await envoy.ReadAsync();

        Assert.Equal(ProcessingResponse.ResponseOneofCase.RequestBody, body.ResponseCase);
        Assert.True(body.RequestBody.Response.ClearRouteCache);
        Assert.Equal("10.0.0.2:8000", SetHeader(body.RequestBody.Response, "x-gateway-destination-endpoint"));
        Assert.Equal("10.0.0.2:8000", LbMetadataDestination(body));
        Assert.Null(body.RequestBody.Response.BodyMutation);
    }

    [Fact]
    public async Task Process_BufferedWithModelRewrite_ReplacesTheWholeBodyAndContentLength()
    {
        const string expected = """{"model":"llama-3-tuned","messages":[]}""";
        await using var envoy = _picker.OpenStream();

        await envoy.SendRequestHeadersAsync(
            requestBodyMode: BodySendMode.Buffered,
            headers: new Dictionary<string, string> { ["x-gateway-model-name-rewrite"] = "llama-3-tuned" });
        await envoy.ReadAsync();
        await envoy.SendRequestBodyAsync("""{"model":"m","messages":[]}"""u8, endOfStream: true);
        var body = (await envoy.ReadAsync()).RequestBody.Response;

        Assert.Equal(BodyMutation.MutationOneofCase.Body, body.BodyMutation.MutationCase);
        Assert.Equal(expected, body.BodyMutation.Body.ToStringUtf8());
        Assert.Equal(Encoding.UTF8.GetByteCount(expected).ToString(System.Globalization.CultureInfo.InvariantCulture), SetHeader(body, "content-length"));
    }

    [Fact]
    public async Task Process_BufferedConfiguredAsDefault_AppliesWithoutProtocolConfig()
    {
        using var picker = new PickerFactory().With("Picker:RequestBodyMode", "Buffered");
        picker.Publish(PickerFactory.Endpoint("10.0.0.9:8000"));
        await using var envoy = picker.OpenStream();

        await envoy.SendRequestHeadersAsync();
        var headers = await envoy.ReadAsync();
        await envoy.SendRequestBodyAsync("""{"model":"m","messages":[]}"""u8, endOfStream: true);
        var body = await envoy.ReadAsync();

        Assert.False(headers.RequestHeaders.Response.ClearRouteCache);
        Assert.Equal("10.0.0.9:8000", SetHeader(body.RequestBody.Response, "x-gateway-destination-endpoint"));
    }

    public void Dispose() => _picker.Dispose();
}
