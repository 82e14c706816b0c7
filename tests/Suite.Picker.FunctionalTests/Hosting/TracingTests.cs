using System.Collections.Concurrent;
using System.Diagnostics;
using Suite.Picker.FunctionalTests.Infrastructure;
using Suite.Picker.Observability;

namespace Suite.Picker.FunctionalTests.Hosting;

/// <summary>Spans per request, continuing the gateway's trace: what an OTLP exporter would be handed.</summary>
public sealed class TracingTests : IDisposable
{
    private const string TraceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    private const string GatewaySpanId = "00f067aa0ba902b7";

    private readonly PickerFactory _picker = new();
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ActivityListener _listener;

    public TracingTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == PickerTracing.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
        _picker.Publish(PickerFactory.Endpoint("10.0.0.1:8000"));
    }

    [Fact]
    public async Task Process_WithTraceparent_RequestSpanContinuesTheGatewaysTraceAndParentsEachStep()
    {
        await ServeAsync(new Dictionary<string, string> { ["traceparent"] = $"00-{TraceId}-{GatewaySpanId}-01" });
        // The request's span stops when its stream's handler ends, which may be just after the last answer is read.
        Assert.True(await Eventually.TrueAsync(() => _stopped.Any(a => a.OperationName == "ext_proc" && a.TraceId.ToHexString() == TraceId)));

        var spans = _stopped.Where(a => a.TraceId.ToHexString() == TraceId).ToList();
        var request = Assert.Single(spans, a => a.OperationName == "ext_proc");
        Assert.Equal(GatewaySpanId, request.ParentSpanId.ToHexString());
        Assert.Equal(ActivityKind.Server, request.Kind);
        var steps = spans.Where(a => a != request).OrderBy(a => a.StartTimeUtc).ToList();
        Assert.Equal(["resolve", "admit", "schedule"], steps.Select(a => a.OperationName));
        Assert.All(steps, step => Assert.Equal(request.SpanId, step.ParentSpanId));
        Assert.Equal("10.0.0.1:8000", steps[2].GetTagItem("picker.destination"));
    }

    [Fact]
    public async Task Process_WithoutTraceparent_StartsANewTrace()
    {
        var requestId = Guid.NewGuid().ToString("N");

        await ServeAsync(new Dictionary<string, string> { ["x-request-id"] = requestId });
        Assert.True(await Eventually.TrueAsync(() => _stopped.Any(a => (string?)a.GetTagItem(PickerTracing.RequestIdTag) == requestId)));

        var request = Assert.Single(_stopped, a => (string?)a.GetTagItem(PickerTracing.RequestIdTag) == requestId);
        Assert.Equal(default, request.ParentSpanId);
        Assert.NotEqual(TraceId, request.TraceId.ToHexString());
    }

    public void Dispose()
    {
        _listener.Dispose();
        _picker.Dispose();
    }

    private async Task ServeAsync(Dictionary<string, string> headers)
    {
        await using var envoy = _picker.OpenStream();
        await envoy.SendRequestHeadersAsync(headers: headers);
        await envoy.SendRequestBodyAsync("""{"model":"m","messages":[]}"""u8, endOfStream: true);
        await envoy.ReadAsync();
        await envoy.ReadStreamedRequestBodyAsync();
        await envoy.SendResponseHeadersAsync();
        await envoy.ReadAsync();
        await envoy.SendResponseBodyAsync("{}", endOfStream: true);
        await envoy.ReadAsync();
    }
}
