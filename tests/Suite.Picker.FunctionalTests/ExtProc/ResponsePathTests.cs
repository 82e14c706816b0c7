using System.Text;
using Envoy.Service.ExtProc.V3;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Suite.Picker.FunctionalTests.Infrastructure;
using Suite.Picker.Observability;
using static Envoy.Extensions.Filters.Http.ExtProc.V3.ProcessingMode.Types;

namespace Suite.Picker.FunctionalTests.ExtProc;

/// <summary>The response half: pass-through, usage accounting and in-flight release.</summary>
public sealed class ResponsePathTests : IDisposable
{
    private const string Pod = "10.0.0.1:8000";
    private const string SseUsageEvent =
        """data: {"id":"c1","choices":[],"usage":{"prompt_tokens":57,"completion_tokens":12,"total_tokens":69,"prompt_tokens_details":{"cached_tokens":32}}}""";

    private readonly PickerFactory _picker = new();

    public ResponsePathTests()
    {
        _picker.Publish(PickerFactory.Endpoint(Pod));
    }

    [Fact]
    public async Task Process_SseUsageEventSplitAcrossChunks_ReportsEveryTokenCount()
    {
        using var tokens = TokenCollector();
        await using var envoy = await _picker.OpenRoutedExchangeAsync(stream: true);
        var events = $"data: {{\"choices\":[{{\"delta\":{{\"content\":\"Hi\"}}}}],\"usage\":null}}\n\n{SseUsageEvent}\n\ndata: [DONE]\n\n";
        var split = events.IndexOf("completion_tokens", StringComparison.Ordinal) + 5;

        await envoy.SendResponseHeadersAsync(contentType: "text/event-stream");
        await envoy.ReadAsync();
        await envoy.SendResponseBodyAsync(events[..split], endOfStream: false);
        var first = await envoy.ReadAsync();
        await envoy.SendResponseBodyAsync(events[split..], endOfStream: true);
        var second = await envoy.ReadAsync();
        await tokens.WaitForMeasurementsAsync(3, TimeSpan.FromSeconds(5));

        Assert.Equal(events[..split], first.ResponseBody.Response.BodyMutation.StreamedResponse.Body.ToStringUtf8());
        Assert.False(first.ResponseBody.Response.BodyMutation.StreamedResponse.EndOfStream);
        Assert.Equal(events[split..], second.ResponseBody.Response.BodyMutation.StreamedResponse.Body.ToStringUtf8());
        Assert.True(second.ResponseBody.Response.BodyMutation.StreamedResponse.EndOfStream);
        Assert.Equal([("prompt", 57L), ("completion", 12L), ("cached", 32L)], Counts(tokens));
    }

    [Fact]
    public async Task Process_SseChunks_ArePassedOnBeforeTheStreamEnds()
    {
        await using var envoy = await _picker.OpenRoutedExchangeAsync(stream: true);

        await envoy.SendResponseHeadersAsync(contentType: "text/event-stream");
        await envoy.ReadAsync();
        await envoy.SendResponseBodyAsync("data: {\"choices\":[]}\n\n", endOfStream: false);
        var chunk = await envoy.ReadAsync();

        Assert.Equal("data: {\"choices\":[]}\n\n", chunk.ResponseBody.Response.BodyMutation.StreamedResponse.Body.ToStringUtf8());
    }

    [Fact]
    public async Task Process_JsonResponse_IsBufferedThenReturnedWholeWithUsage()
    {
        using var tokens = TokenCollector();
        await using var envoy = await _picker.OpenRoutedExchangeAsync(stream: false);
        const string part1 = """{"id":"cmpl-1","choices":[{"text":"ok"}],"usage":{"prompt_tokens":11,""";
        const string part2 = "\"completion_tokens\":2,\"total_tokens\":13}}";

        await envoy.SendResponseHeadersAsync();
        await envoy.ReadAsync();
        await envoy.SendResponseBodyAsync(part1, endOfStream: false);
        await envoy.SendResponseBodyAsync(part2, endOfStream: true);
        var whole = await envoy.ReadAsync();
        await tokens.WaitForMeasurementsAsync(3, TimeSpan.FromSeconds(5));

        // Nothing came back for the first chunk: the first answer already holds both parts.
        Assert.Equal(part1 + part2, whole.ResponseBody.Response.BodyMutation.StreamedResponse.Body.ToStringUtf8());
        Assert.True(whole.ResponseBody.Response.BodyMutation.StreamedResponse.EndOfStream);
        Assert.Equal([("prompt", 11L), ("completion", 2L), ("cached", 0L)], Counts(tokens));
    }

    [Fact]
    public async Task Process_BufferedResponseMode_AcknowledgesTheBodyWithoutEchoingIt()
    {
        using var tokens = TokenCollector();
        await using var envoy = _picker.OpenStream();
        await envoy.SendRequestHeadersAsync(requestBodyMode: BodySendMode.FullDuplexStreamed, responseBodyMode: BodySendMode.Buffered);
        await envoy.SendRequestBodyAsync("""{"model":"m","messages":[]}"""u8, endOfStream: true);
        await envoy.ReadAsync();
        await envoy.ReadStreamedRequestBodyAsync();

        await envoy.SendResponseHeadersAsync();
        await envoy.ReadAsync();
        await envoy.SendResponseBodyAsync("""{"usage":{"prompt_tokens":5,"completion_tokens":1,"total_tokens":6}}""", endOfStream: true);
        var body = await envoy.ReadAsync();
        await tokens.WaitForMeasurementsAsync(3, TimeSpan.FromSeconds(5));

        Assert.Equal(ProcessingResponse.ResponseOneofCase.ResponseBody, body.ResponseCase);
        Assert.Null(body.ResponseBody.Response.BodyMutation);
        Assert.Equal([("prompt", 5L), ("completion", 1L), ("cached", 0L)], Counts(tokens));
    }

    [Fact]
    public async Task Process_WhileTheResponseRuns_CountsTheRequestInFlightAndReleasesItAtTheEnd()
    {
        await using var envoy = await _picker.OpenRoutedExchangeAsync(stream: false);
        var during = _picker.InFlight.InFlightTo(Pod);

        await envoy.SendResponseHeadersAsync();
        await envoy.ReadAsync();
        await envoy.SendResponseBodyAsync("{}", endOfStream: true);
        await envoy.ReadAsync();

        Assert.Equal(1, during);
        Assert.True(await Eventually.TrueAsync(() => _picker.InFlight.InFlightTo(Pod) == 0));
    }

    [Fact]
    public async Task Process_GatewayCancelsMidResponse_ReleasesTheInFlightRequest()
    {
        var envoy = await _picker.OpenRoutedExchangeAsync(stream: true);
        await envoy.SendResponseHeadersAsync(contentType: "text/event-stream");
        await envoy.ReadAsync();
        var during = _picker.InFlight.InFlightTo(Pod);

        envoy.Cancel();
        await envoy.DisposeAsync();

        Assert.Equal(1, during);
        Assert.True(await Eventually.TrueAsync(() => _picker.InFlight.InFlightTo(Pod) == 0));
    }

    [Fact]
    public async Task Process_GatewayEndsTheStreamBeforeTheResponse_ReleasesTheInFlightRequest()
    {
        await using var envoy = await _picker.OpenRoutedExchangeAsync(stream: false);

        await envoy.CompleteAsync();

        Assert.True(await envoy.EndedAsync());
        Assert.True(await Eventually.TrueAsync(() => _picker.InFlight.InFlightTo(Pod) == 0));
    }

    [Fact]
    public async Task Process_StreamCancelledWhileTheBodyIsHeld_LeavesNothingInFlight()
    {
        var envoy = _picker.OpenStream();
        await envoy.SendRequestHeadersAsync();
        await envoy.SendRequestBodyAsync("""{"model":"m","mess"""u8, endOfStream: false);

        envoy.Cancel();
        await envoy.DisposeAsync();

        Assert.Equal(0, _picker.InFlight.InFlightTo(Pod));
    }

    [Fact]
    public async Task Process_GatewayServedFromAFallback_MovesTheAccountingToThatEndpoint()
    {
        _picker.Publish(PickerFactory.Endpoint(Pod), PickerFactory.Endpoint("10.0.0.2:8000", waiting: 5));
        await using var envoy = await _picker.OpenRoutedExchangeAsync(stream: false);

        await envoy.SendResponseHeadersAsync(servedEndpoint: "10.0.0.2:8000");
        await envoy.ReadAsync();

        Assert.Equal(0, _picker.InFlight.InFlightTo(Pod));
        Assert.Equal(1, _picker.InFlight.InFlightTo("10.0.0.2:8000"));
    }

    [Fact]
    public async Task Process_ResponseTrailers_AreAnsweredAndEndTheRequest()
    {
        await using var envoy = await _picker.OpenRoutedExchangeAsync(stream: false);

        await envoy.SendResponseHeadersAsync();
        await envoy.ReadAsync();
        await envoy.SendResponseBodyAsync("{\"partial\":", endOfStream: false);
        await envoy.SendResponseTrailersAsync();
        var body = await envoy.ReadAsync();
        var trailers = await envoy.ReadAsync();

        Assert.Equal("{\"partial\":", body.ResponseBody.Response.BodyMutation.StreamedResponse.Body.ToStringUtf8());
        Assert.Equal(ProcessingResponse.ResponseOneofCase.ResponseTrailers, trailers.ResponseCase);
        Assert.True(await Eventually.TrueAsync(() => _picker.InFlight.InFlightTo(Pod) == 0));
    }

    public void Dispose() => _picker.Dispose();

    private MetricCollector<long> TokenCollector() =>
        new(_picker.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), PickerMetrics.MeterName, "picker.tokens");

    private static (string, long)[] Counts(MetricCollector<long> tokens) =>
        [.. tokens.GetMeasurementSnapshot().Select(m => ((string)m.Tags["type"]!, m.Value))];
}
