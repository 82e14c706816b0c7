using System.Text;
using Envoy.Service.ExtProc.V3;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Suite.Picker.ExtProc;
using Suite.Picker.FunctionalTests.Infrastructure;
using Suite.Picker.Observability;
using static Envoy.Extensions.Filters.Http.ExtProc.V3.ProcessingMode.Types;
using static Suite.Picker.FunctionalTests.Infrastructure.ResponseAssertions;

namespace Suite.Picker.FunctionalTests.ExtProc;

/// <summary>
/// <c>Picker:MaxBufferedBodyBytes</c> over the real host: streams holding bodies fill the budget, the request that
/// would pass it gets 503 at once, and a stream that ends, routed or reset, gives its share back.
/// Here the budget is 3 MiB and one body may be 2 MiB.
/// </summary>
public sealed class BodyBudgetTests
{
    private const string Pod = "10.0.0.1:8000";
    private const int MiB = 1024 * 1024;
    private const int Budget = 3 * MiB;
    private const string Full =
        "The picker holds as many request bodies as Picker:MaxBufferedBodyBytes (3145728 bytes) allows; retry later.";

    [Fact]
    public async Task Process_StreamsHoldingTheWholeBudget_NextGets503UntilOneEndsAndAllReturnToZero()
    {
        using var picker = NewPicker();
        var budget = picker.Services.GetRequiredService<BodyMemoryBudget>();
        var meters = picker.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        using var requests = new MetricCollector<long>(meters, PickerMetrics.MeterName, "picker.requests");
        using var errors = new MetricCollector<long>(meters, PickerMetrics.MeterName, ObjectiveMetrics.RequestErrorTotal);
        using var buffered = new MetricCollector<long>(meters, PickerMetrics.MeterName, RequestBodyGauges.BufferedBytes);
        var body = Json(MiB + 2);   // its first MiB is sent first, the closing "} later
        await using var first = picker.OpenStream();
        await using var second = picker.OpenStream();
        await using var third = picker.OpenStream();
        foreach (var holder in new[] { first, second, third })
        {
            await holder.SendRequestHeadersAsync();
            await holder.SendRequestBodyAsync(body.AsSpan(0, MiB), endOfStream: false);
        }

        Assert.True(await Eventually.TrueAsync(() => budget.Reserved == Budget), $"reserved {budget.Reserved}");
        buffered.RecordObservableInstruments();
        Assert.Equal(Budget, buffered.LastMeasurement!.Value);

        // Full to the byte: one more byte is refused at once.
        await using (var over = picker.OpenStream())
        {
            await over.SendRequestHeadersAsync(headers: new Dictionary<string, string> { ["x-request-id"] = "over-budget" });
            await SendAnsweredMessageAsync(over.SendRequestBodyAsync("{"u8, endOfStream: false));
            var refused = await over.ReadAsync();

            Assert.Equal(Full, ImmediateError(refused, 503, "service_unavailable"));
            Assert.Equal("picker_body_budget", refused.ImmediateResponse.Details);
            Assert.Equal("over-budget", HeaderOf(refused.ImmediateResponse, "x-request-id"));
            Assert.True(await over.EndedAsync());
        }

        Assert.Equal(Budget, budget.Reserved);

        // A reset stream gives back its MiB; a finished one too, once routed.
        second.Cancel();
        Assert.True(await Eventually.TrueAsync(() => budget.Reserved == 2 * MiB), $"reserved {budget.Reserved}");
        await first.SendRequestBodyAsync(body.AsSpan(MiB), endOfStream: true);
        Assert.Equal(Pod, Destination(await first.ReadAsync()));
        Assert.Equal(body, (await first.ReadStreamedRequestBodyAsync()).Body);
        Assert.True(await Eventually.TrueAsync(() => budget.Reserved == MiB), $"reserved {budget.Reserved}");

        // The room they left takes a new body of 1 MiB + 2 bytes beside the third stream's MiB.
        await using (var next = picker.OpenStream())
        {
            await next.SendRequestHeadersAsync();
            await next.SendRequestBodyAsync(body.AsSpan(0, MiB), endOfStream: false);
            await next.SendRequestBodyAsync(body.AsSpan(MiB), endOfStream: true);

            Assert.Equal(Pod, Destination(await next.ReadAsync()));
            Assert.Equal(body, (await next.ReadStreamedRequestBodyAsync()).Body);
        }

        await third.SendRequestBodyAsync(body.AsSpan(MiB), endOfStream: true);
        Assert.Equal(Pod, Destination(await third.ReadAsync()));
        Assert.Equal(body, (await third.ReadStreamedRequestBodyAsync()).Body);

        Assert.True(await Eventually.TrueAsync(() => budget.Reserved == 0), $"reserved {budget.Reserved}");
        buffered.RecordObservableInstruments();
        Assert.Equal(0, buffered.LastMeasurement!.Value);
        Assert.Equal(
            [("rejected", 503), ("routed", 200), ("routed", 200), ("routed", 200)],
            requests.GetMeasurementSnapshot()
                .Select(m => ((string)m.Tags["outcome"]!, (int)m.Tags["status"]!))
                .Order());
        var error = Assert.Single(errors.GetMeasurementSnapshot());
        Assert.Equal(ErrorCodes.ServiceUnavailable, error.Tags["error_code"]);
    }

    [Theory]
    [InlineData(BodySendMode.FullDuplexStreamed)]
    [InlineData(BodySendMode.Buffered)]
    public async Task Process_OneChunkBody_CountsAgainstTheBudgetToTheByte(BodySendMode mode)
    {
        using var picker = NewPicker();
        var budget = picker.Services.GetRequiredService<BodyMemoryBudget>();
        await using var first = picker.OpenStream();
        await using var second = picker.OpenStream();
        foreach (var holder in new[] { first, second })
        {
            await holder.SendRequestHeadersAsync();
            await holder.SendRequestBodyAsync(new byte[MiB], endOfStream: false);
        }

        Assert.True(await Eventually.TrueAsync(() => budget.Reserved == 2 * MiB), $"reserved {budget.Reserved}");

        var tooMuch = await SendWholeBodyAsync(picker, Json(MiB + 1), mode);
        var fits = await SendWholeBodyAsync(picker, Json(MiB), mode);

        Assert.Equal(Full, ImmediateError(tooMuch, 503, "service_unavailable"));
        Assert.Equal(Pod, mode == BodySendMode.Buffered
            ? SetHeader(fits.RequestBody.Response, "x-gateway-destination-endpoint")
            : Destination(fits));
        Assert.True(await Eventually.TrueAsync(() => budget.Reserved == 2 * MiB), $"reserved {budget.Reserved}");
    }

    [Fact]
    public async Task Response_JsonHeldToReadItsUsage_CountsAgainstTheBudget_AndOneThatDoesNotFitPassesThroughWhole()
    {
        using var picker = NewPicker();
        var budget = picker.Services.GetRequiredService<BodyMemoryBudget>();
        var head = "{\"pad\":\"" + new string('x', MiB / 2);
        const string Tail = "\",\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4,\"total_tokens\":7}}";

        // A response that fits is held until its end, then returned whole, and its share given back.
        await using (var fits = await picker.OpenRoutedExchangeAsync())
        {
            await fits.SendResponseHeadersAsync();
            await fits.ReadAsync();
            await fits.SendResponseBodyAsync(head, endOfStream: false);
            Assert.True(await Eventually.TrueAsync(() => budget.Reserved == head.Length), $"reserved {budget.Reserved}");
            await fits.SendResponseBodyAsync(Tail, endOfStream: true);
            Assert.Equal(head + Tail, Encoding.UTF8.GetString(await ReadResponseBodyAsync(fits)));
        }

        Assert.True(await Eventually.TrueAsync(() => budget.Reserved == 0), $"reserved {budget.Reserved}");

        // Request bodies hold 2.5 of the 3 MiB: of a 1 MiB response only the first half fits, so all of it passes through.
        await using var first = picker.OpenStream();
        await using var second = picker.OpenStream();
        await first.SendRequestHeadersAsync();
        await first.SendRequestBodyAsync(Json(2 * MiB).AsSpan(0, (3 * MiB) / 2), endOfStream: false);
        await second.SendRequestHeadersAsync();
        await second.SendRequestBodyAsync(Json(2 * MiB).AsSpan(0, MiB), endOfStream: false);
        Assert.True(await Eventually.TrueAsync(() => budget.Reserved == (5 * MiB) / 2), $"reserved {budget.Reserved}");
        await using var large = await picker.OpenRoutedExchangeAsync();
        await large.SendResponseHeadersAsync();
        await large.ReadAsync();
        var sent = "{\"pad\":\"" + new string('y', MiB) + "\"}";
        await large.SendResponseBodyAsync(sent[..(MiB / 2)], endOfStream: false);
        await large.SendResponseBodyAsync(sent[(MiB / 2)..], endOfStream: true);

        Assert.Equal(sent, Encoding.UTF8.GetString(await ReadResponseBodyAsync(large)));
        Assert.True(await Eventually.TrueAsync(() => budget.Reserved == (5 * MiB) / 2), $"reserved {budget.Reserved}");
    }

    /// <summary>The response body as the picker streams it back, through its end_of_stream.</summary>
    private static async Task<byte[]> ReadResponseBodyAsync(EnvoyExchange envoy)
    {
        var body = new MemoryStream();
        while (true)
        {
            var chunk = (await envoy.ReadAsync()).ResponseBody.Response.BodyMutation.StreamedResponse;
            chunk.Body.WriteTo(body);
            if (chunk.EndOfStream)
            {
                return body.ToArray();
            }
        }
    }

    private static PickerFactory NewPicker()
    {
        var picker = new PickerFactory()
            .With("Picker:MaxRequestBodyBytes", (2 * MiB).ToString(System.Globalization.CultureInfo.InvariantCulture))
            .With("Picker:MaxBufferedBodyBytes", Budget.ToString(System.Globalization.CultureInfo.InvariantCulture));
        picker.Publish(PickerFactory.Endpoint(Pod));
        return picker;
    }

    /// <summary>A whole body in one message on a new stream; returns the picker's answer to it.</summary>
    private static async Task<ProcessingResponse> SendWholeBodyAsync(PickerFactory picker, byte[] body, BodySendMode mode)
    {
        await using var envoy = picker.OpenStream();
        await envoy.SendRequestHeadersAsync(requestBodyMode: mode);
        if (mode == BodySendMode.Buffered)
        {
            Assert.Equal(ProcessingResponse.ResponseOneofCase.RequestHeaders, (await envoy.ReadAsync()).ResponseCase);
        }

        await SendAnsweredMessageAsync(envoy.SendRequestBodyAsync(body, endOfStream: true));
        var answer = await envoy.ReadAsync();
        if (answer.ResponseCase == ProcessingResponse.ResponseOneofCase.RequestHeaders)
        {
            await envoy.ReadStreamedRequestBodyAsync();
        }

        return answer;
    }

    /// <summary>A chat request of exactly <paramref name="length"/> bytes, padded in an extra string field.</summary>
    private static byte[] Json(int length)
    {
        const string Head = "{\"model\":\"m\",\"messages\":[],\"pad\":\"";
        return Encoding.UTF8.GetBytes(Head + new string('a', length - Head.Length - 2) + "\"}");
    }

    private static string? Destination(ProcessingResponse routed) =>
        SetHeader(routed.RequestHeaders.Response, "x-gateway-destination-endpoint");

    /// <summary>The in-memory transport may cancel the write the picker answers before the client sees it complete.</summary>
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
}
