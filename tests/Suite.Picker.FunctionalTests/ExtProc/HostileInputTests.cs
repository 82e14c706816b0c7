using System.Diagnostics;
using System.Text;
using Envoy.Config.Core.V3;
using Envoy.Service.ExtProc.V3;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Suite.Picker.FunctionalTests.Infrastructure;
using Suite.Picker.Observability;
using Xunit.Abstractions;
using static Envoy.Extensions.Filters.Http.ExtProc.V3.ProcessingMode.Types;
using static Suite.Picker.FunctionalTests.Infrastructure.ResponseAssertions;

namespace Suite.Picker.FunctionalTests.ExtProc;

/// <summary>
/// What a hostile client, or a gateway passing it through, can throw at one ext_proc stream: absurd header sets,
/// bodies far over the limit, thousands of tiny chunks, bodies that never finish. Each case gets its documented
/// answer, and a normal request routes right after it on the same picker. Alone in their collection: one test
/// measures the live heap, and the others stream tens of megabytes.
/// </summary>
[Collection(HeapRunsAlone.Name)]
public sealed class HostileInputTests(ITestOutputHelper output)
{
    private const string Pod = "10.0.0.1:8000";
    private const string ChatBody = """{"model":"m","messages":[]}""";
    private const int DefaultLimit = 16 * 1024 * 1024;
    private const int ChunkBytes = 64 * 1024;

    // The default Picker:RequestBodyTimeout in the message, as Rejection writes it.
    private const string TimedOut = "The request body did not arrive in full within Picker:RequestBodyTimeout (00:01:00) of its headers.";

    private static readonly TimeSpan BodyTimeout = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task Process_TenThousandHeadersWithDuplicatedGatewayHeaders_RoutesToThePoolEndpoint()
    {
        using var picker = NewPicker();
        await using var envoy = picker.OpenStream();
        var filler = new string('v', 300);
        var extra = new List<HeaderValue>(10_000);
        for (var i = 0; i < 10_000; i++)
        {
            extra.Add((i % 4) switch
            {
                0 => EnvoyExchange.Header("x-gateway-destination-endpoint", $"6.6.6.{i % 250}:80"),
                1 => EnvoyExchange.Header("x-gateway-inference-objective", $"objective-{i}"),
                2 => EnvoyExchange.Header("x-gateway-model-name-rewrite", $"model-{i}"),
                _ => EnvoyExchange.Header($"x-filler-{i}", filler),
            });
        }

        var headers = RequestHeaders(extra);
        Assert.InRange(headers.CalculateSize(), 1_000_000, 1_200_000);

        var started = Stopwatch.GetTimestamp();
        await envoy.SendAsync(headers);
        await envoy.SendRequestBodyAsync(Encoding.UTF8.GetBytes(ChatBody), endOfStream: true);
        var routed = await envoy.ReadAsync();
        output.WriteLine($"10,000 headers ({headers.CalculateSize()} bytes) routed in {Stopwatch.GetElapsedTime(started).TotalMilliseconds:F0} ms");
        var (body, _, _) = await envoy.ReadStreamedRequestBodyAsync();

        var mutation = routed.RequestHeaders.Response.HeaderMutation;
        var destination = Assert.Single(mutation.SetHeaders, h => h.Header.Key == "x-gateway-destination-endpoint");
        Assert.Equal(Pod, destination.Header.RawValue.ToStringUtf8());
        Assert.Equal(HeaderValueOption.Types.HeaderAppendAction.OverwriteIfExistsOrAdd, destination.AppendAction);
        Assert.Equal(Pod, LbMetadataDestination(routed));
        // Each gateway-owned header is removed once however often it came; the first of each counts.
        Assert.Equal(["x-gateway-inference-objective", "x-gateway-model-name-rewrite"], mutation.RemoveHeaders);
        Assert.Equal("""{"model":"model-2","messages":[]}""", Encoding.UTF8.GetString(body));
        await AssertRoutesNormallyAsync(picker);
    }

    [Fact]
    public async Task Process_HeaderValuesWithInvalidUtf8_AreReadWithReplacementCharactersAndRouted()
    {
        using var picker = NewPicker();
        await using var envoy = picker.OpenStream();

        await envoy.SendAsync(RequestHeaders(
        [
            Raw("x-gateway-model-name-rewrite", 0x6D, 0xC3, 0x28),   // 'm', a lead byte without its continuation, '('
            Raw("x-request-id", 0xFF, 0xFE),
            Raw("x-gateway-inference-objective", 0xED, 0xA0, 0x80),   // an encoded surrogate
            Raw("x-gateway-destination-endpoint", 0xFF, 0x3A, 0x38, 0x30),
        ]));
        await envoy.SendRequestBodyAsync(Encoding.UTF8.GetBytes(ChatBody), endOfStream: true);
        var routed = await envoy.ReadAsync();
        var (body, _, _) = await envoy.ReadStreamedRequestBodyAsync();

        Assert.Equal(Pod, SetHeader(routed.RequestHeaders.Response, "x-gateway-destination-endpoint"));
        Assert.Equal(Pod, LbMetadataDestination(routed));
        // The client's id is kept as sent: the picker sets one only when there is none.
        Assert.Null(SetHeader(routed.RequestHeaders.Response, "x-request-id"));
        // The rewritten name reaches the body as valid UTF-8: U+FFFD where the bytes were invalid.
        Assert.Equal("{\"model\":\"m\uFFFD(\",\"messages\":[]}", Encoding.UTF8.GetString(body));
        await AssertRoutesNormallyAsync(picker);
    }

    [Fact]
    public async Task Process_HeadersMessageOverGrpcsDefaultFourMegabytes_IsRouted()
    {
        // The picker's receive limit is Picker:MaxRequestBodyBytes + 1 MiB (a BUFFERED body comes in one message), not gRPC's 4 MB.
        using var picker = NewPicker();
        await using var envoy = picker.OpenStream();
        var value = ByteString.CopyFrom(new byte[ChunkBytes]);
        var extra = new List<HeaderValue>();
        for (var i = 0; i < 80; i++)
        {
            extra.Add(new HeaderValue { Key = $"x-big-{i}", RawValue = value });
        }

        var headers = RequestHeaders(extra);
        Assert.InRange(headers.CalculateSize(), 5 * 1024 * 1024, (5 * 1024 * 1024) + 4096);

        await envoy.SendAsync(headers);
        await envoy.SendRequestBodyAsync(Encoding.UTF8.GetBytes(ChatBody), endOfStream: true);
        var routed = await envoy.ReadAsync();

        Assert.Equal(Pod, SetHeader(routed.RequestHeaders.Response, "x-gateway-destination-endpoint"));
        await AssertRoutesNormallyAsync(picker);
    }

    [Fact]
    public async Task Process_HeadersMessageOverTheReceiveLimit_Answers431()
    {
        using var picker = NewPicker();
        await using var envoy = picker.OpenStream();
        var mebibyte = ByteString.CopyFrom(new byte[1024 * 1024]);
        var extra = new List<HeaderValue>();
        for (var i = 0; i < 18; i++)
        {
            extra.Add(new HeaderValue { Key = $"x-huge-{i}", RawValue = mebibyte });
        }

        // 18 MiB against a limit of 16 MiB + 1 MiB: gRPC refuses the message before the picker reads it.
        await SendAnsweredMessageAsync(envoy.SendAsync(RequestHeaders(extra)));

        var response = await envoy.ReadAsync();

        Assert.Equal(
            $"The request headers exceed the picker's limit of {DefaultLimit + (1024 * 1024)} bytes for one message.",
            ImmediateError(response, 431, "invalid_request_error"));
        Assert.Equal("picker_headers_too_large", response.ImmediateResponse.Details);
        Assert.True(await envoy.EndedAsync());
        await AssertRoutesNormallyAsync(picker);
    }

    [Fact]
    public async Task Process_HundredMebibytesIn64KiBChunks_Answers413AtTheLimitAndKeepsTheHeapBounded()
    {
        using var picker = NewPicker();
        await AssertRoutesNormallyAsync(picker);   // warms up the host, the channel and the JIT before the baseline
        // One buffer for every chunk, so the client side adds nothing per chunk to the heap being measured.
        var chunk = UnsafeByteOperations.UnsafeWrap(new byte[ChunkBytes]);
        var message = new ProcessingRequest { RequestBody = new HttpBody { Body = chunk } };
        var last = new ProcessingRequest { RequestBody = new HttpBody { Body = chunk, EndOfStream = true } };
        var baseline = LiveHeapBytes();
        await using var envoy = picker.OpenStream();

        await envoy.SendRequestHeadersAsync();
        var answer = envoy.ReadAsync();
        var accepted = 0;
        RpcException? refused = null;
        try
        {
            // 1600 × 64 KiB = 100 MiB, unless the stream stops taking them.
            for (; accepted < 1600; accepted++)
            {
                await envoy.SendAsync(accepted == 1599 ? last : message);
            }
        }
        catch (RpcException e)
        {
            refused = e;
        }

        var response = await answer;
        var grown = LiveHeapBytes() - baseline;   // the client has not closed or reset its stream
        output.WriteLine($"413; the stream took {accepted} chunks of 64 KiB ({accepted * (long)ChunkBytes} bytes), then refused: {refused?.Status}; live heap grew by {grown} bytes ({grown / 1048576.0:F1} MiB)");

        Assert.Equal(
            $"The request body exceeds the gateway's limit of {DefaultLimit} bytes.",
            ImmediateError(response, 413, "invalid_request_error"));
        // The 257th chunk crosses 16 MiB; after the answer the picker drops at most MessagesWhileClosing more while
        // it waits for the gateway to close, then ends the stream: the client gets at most that and its transport's
        // buffer (here well under 1 MiB) ahead before its writes are refused, and the crossing chunk's own write may
        // already be refused if the answer ends the call before that write has completed.
        Assert.NotNull(refused);
        Assert.InRange(accepted, 256, 257 + 8 + 16);
        Assert.True(await envoy.EndedAsync());
        // Pooled arrays outlive the 413 in the shared ArrayPool: the 16 MiB buffer and the halves it grew through
        // (under 2 × the limit). Anything of the remaining 84 MiB kept would push the heap past this bound.
        Assert.InRange(grown, long.MinValue, (2L * DefaultLimit) + (8 * 1024 * 1024));
        await AssertRoutesNormallyAsync(picker);
    }

    [Theory]
    [InlineData(DefaultLimit + 1)]                   // refused by the picker's body limit
    [InlineData(DefaultLimit + (2 * 1024 * 1024))]   // refused by gRPC's receive limit, 1 MiB above it
    public async Task Process_BufferedBodyOverTheLimit_Answers413(int bodyBytes)
    {
        using var picker = NewPicker();
        await using var envoy = picker.OpenStream();

        await envoy.SendRequestHeadersAsync(requestBodyMode: BodySendMode.Buffered);
        var acknowledged = await envoy.ReadAsync();
        await SendAnsweredMessageAsync(envoy.SendRequestBodyAsync(new byte[bodyBytes], endOfStream: true));

        var response = await envoy.ReadAsync();

        Assert.Equal(ProcessingResponse.ResponseOneofCase.RequestHeaders, acknowledged.ResponseCase);
        Assert.Equal(
            $"The request body exceeds the gateway's limit of {DefaultLimit} bytes.",
            ImmediateError(response, 413, "invalid_request_error"));
        Assert.True(await envoy.EndedAsync());
        await AssertRoutesNormallyAsync(picker);
    }

    [Fact]
    public async Task Process_TenThousandOneByteChunks_RoutesAndReturnsTheBodyByteForByte()
    {
        using var picker = NewPicker();
        await using var envoy = picker.OpenStream();
        const string Head = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"";
        const string Tail = "\"}]}";
        var bytes = Encoding.UTF8.GetBytes(Head + new string('a', 10_000 - Head.Length - Tail.Length) + Tail);
        Assert.Equal(10_000, bytes.Length);

        await envoy.SendRequestHeadersAsync();
        for (var i = 0; i < bytes.Length; i++)
        {
            await envoy.SendRequestBodyAsync(bytes.AsSpan(i, 1), endOfStream: i == bytes.Length - 1);
        }

        var routed = await envoy.ReadAsync();
        var (body, _, _) = await envoy.ReadStreamedRequestBodyAsync();

        Assert.Equal(Pod, SetHeader(routed.RequestHeaders.Response, "x-gateway-destination-endpoint"));
        Assert.Equal(bytes, body);
        await AssertRoutesNormallyAsync(picker);
    }

    [Theory]
    [InlineData(BodySendMode.FullDuplexStreamed)]
    [InlineData(BodySendMode.Buffered)]
    public async Task Process_HeadersThenNothing_Answers408WhenTheBodyTimeoutPasses(BodySendMode mode)
    {
        var clock = new WatchedClock(BodyTimeout);
        using var picker = NewPicker(clock);
        await using var envoy = picker.OpenStream();

        await envoy.SendRequestHeadersAsync(requestBodyMode: mode);
        if (mode == BodySendMode.Buffered)
        {
            Assert.Equal(ProcessingResponse.ResponseOneofCase.RequestHeaders, (await envoy.ReadAsync()).ResponseCase);
        }

        await clock.WaitForTimerAsync();
        clock.Advance(BodyTimeout);
        var response = await envoy.ReadAsync();

        Assert.Equal(TimedOut, ImmediateError(response, 408, "invalid_request_error"));
        Assert.Equal("picker_body_timeout", response.ImmediateResponse.Details);
        Assert.True(await envoy.EndedAsync());
        await AssertRoutesNormallyAsync(picker);
    }

    [Fact]
    public async Task Process_PartOfTheBodyThenNothing_Answers408AndCountsItAsABadRequest()
    {
        var clock = new WatchedClock(BodyTimeout);
        using var picker = NewPicker(clock);
        var meters = picker.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        using var requests = new MetricCollector<long>(meters, PickerMetrics.MeterName, "picker.requests");
        using var errors = new MetricCollector<long>(meters, PickerMetrics.MeterName, ObjectiveMetrics.RequestErrorTotal);
        await using var envoy = picker.OpenStream();

        await envoy.SendRequestHeadersAsync(headers: new Dictionary<string, string> { ["x-request-id"] = "slow-1" });
        await clock.WaitForTimerAsync();
        await envoy.SendRequestBodyAsync(Encoding.UTF8.GetBytes("""{"model":"m","messages":[{"role":"user","content":"half of it"""), endOfStream: false);
        clock.Advance(BodyTimeout);
        var response = await envoy.ReadAsync();

        Assert.Equal(TimedOut, ImmediateError(response, 408, "invalid_request_error"));
        Assert.Equal("slow-1", HeaderOf(response.ImmediateResponse, "x-request-id"));
        Assert.True(await envoy.EndedAsync());
        var rejected = Assert.Single(requests.GetMeasurementSnapshot());
        Assert.Equal(("rejected", 408), ((string)rejected.Tags["outcome"]!, (int)rejected.Tags["status"]!));
        var error = Assert.Single(errors.GetMeasurementSnapshot());
        Assert.Equal(ErrorCodes.BadRequest, error.Tags["error_code"]);
        Assert.Equal(0, picker.InFlight.InFlightTo(Pod));
        await AssertRoutesNormallyAsync(picker);
    }

    [Fact]
    public async Task Process_BodyCompletesJustBeforeTheTimeout_IsRoutedAndItsResponseOutlastsTheTimeout()
    {
        var clock = new WatchedClock(BodyTimeout);
        using var picker = NewPicker(clock);
        await using var envoy = picker.OpenStream();

        await envoy.SendRequestHeadersAsync();
        await clock.WaitForTimerAsync();
        await envoy.SendRequestBodyAsync("{\"model\":\"m\","u8, endOfStream: false);
        clock.Advance(BodyTimeout - TimeSpan.FromMilliseconds(1));
        await envoy.SendRequestBodyAsync("\"messages\":[]}"u8, endOfStream: true);
        var routed = await envoy.ReadAsync();
        await envoy.ReadStreamedRequestBodyAsync();
        // A response may stream for many minutes after the body was in.
        clock.Advance(TimeSpan.FromMinutes(10));
        await envoy.SendResponseHeadersAsync();
        var responseHeaders = await envoy.ReadAsync();
        await envoy.SendResponseBodyAsync("""{"id":"done"}""", endOfStream: true);
        var responseBody = await envoy.ReadAsync();

        Assert.Equal(Pod, SetHeader(routed.RequestHeaders.Response, "x-gateway-destination-endpoint"));
        Assert.Equal(ProcessingResponse.ResponseOneofCase.ResponseHeaders, responseHeaders.ResponseCase);
        Assert.Equal("""{"id":"done"}""", responseBody.ResponseBody.Response.BodyMutation.StreamedResponse.Body.ToStringUtf8());
        Assert.True(await Eventually.TrueAsync(() => picker.InFlight.InFlightTo(Pod) == 0));
        await AssertRoutesNormallyAsync(picker);
    }

    [Fact]
    public async Task Process_InvalidUtf8OutsideStrings_Answers400()
    {
        using var picker = NewPicker();
        await using var envoy = picker.OpenStream();
        byte[] body = [.. """{"model":"m","messages":[]"""u8, 0xFF, .. "}"u8];

        await envoy.SendRequestHeadersAsync();
        await SendAnsweredMessageAsync(envoy.SendRequestBodyAsync(body, endOfStream: true));
        var response = await envoy.ReadAsync();

        Assert.Equal("The request body is not valid UTF-8.", ImmediateError(response, 400, "invalid_request_error"));
        await AssertRoutesNormallyAsync(picker);
    }

    [Fact]
    public async Task Process_UnterminatedString_Answers400WithTheParserPosition()
    {
        using var picker = NewPicker();
        await using var envoy = picker.OpenStream();

        await envoy.SendRequestHeadersAsync();
        await SendAnsweredMessageAsync(envoy.SendRequestBodyAsync(
            """{"model":"m","messages":[{"role":"user","content":"never closed"""u8, endOfStream: true));
        var response = await envoy.ReadAsync();

        Assert.Equal(
            "The request body is not valid JSON: Expected end of string, but instead reached end of data. LineNumber: 0 | BytePositionInLine: 63.",
            ImmediateError(response, 400, "invalid_request_error"));
        await AssertRoutesNormallyAsync(picker);
    }

    private static PickerFactory NewPicker(TimeProvider? clock = null)
    {
        var picker = new PickerFactory();
        if (clock is not null)
        {
            picker.WithServices(services => services.AddSingleton(clock));
        }

        picker.Publish(PickerFactory.Endpoint(Pod));
        return picker;
    }

    /// <summary>A plain request on a new stream of the same picker: routed to the pod, its body returned.</summary>
    private static async Task AssertRoutesNormallyAsync(PickerFactory picker)
    {
        await using var envoy = picker.OpenStream();
        await envoy.SendRequestHeadersAsync();
        await envoy.SendRequestBodyAsync(Encoding.UTF8.GetBytes(ChatBody), endOfStream: true);
        var routed = await envoy.ReadAsync();
        var (body, _, _) = await envoy.ReadStreamedRequestBodyAsync();

        Assert.Equal(Pod, SetHeader(routed.RequestHeaders.Response, "x-gateway-destination-endpoint"));
        Assert.Equal(ChatBody, Encoding.UTF8.GetString(body));
    }

    /// <summary>Envoy's request headers for a chat completion, followed by <paramref name="extra"/>.</summary>
    private static ProcessingRequest RequestHeaders(IEnumerable<HeaderValue> extra)
    {
        var map = new HeaderMap();
        map.Headers.Add(EnvoyExchange.Header(":method", "POST"));
        map.Headers.Add(EnvoyExchange.Header(":path", "/v1/chat/completions"));
        map.Headers.Add(EnvoyExchange.Header(":authority", "gateway.example"));
        map.Headers.Add(EnvoyExchange.Header("content-type", "application/json"));
        map.Headers.Add(extra);
        return new ProcessingRequest { RequestHeaders = new HttpHeaders { Headers = map } };
    }

    /// <summary>
    /// Sends a message the picker answers by ending the call. The in-memory transport may then cancel the write
    /// before the client sees it complete; the answer, read next, is what counts.
    /// </summary>
    private static async Task SendAnsweredMessageAsync(Task send)
    {
        try
        {
            await send;
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled)
        {
        }
    }

    private static HeaderValue Raw(string key, params byte[] value) => new() { Key = key, RawValue = ByteString.CopyFrom(value) };

    /// <summary>Bytes still reachable after full collections: what the process really holds.</summary>
    private static long LiveHeapBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
