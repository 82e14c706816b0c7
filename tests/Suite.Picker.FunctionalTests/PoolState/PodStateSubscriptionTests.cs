using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Suite.Contracts.Pools;
using Suite.Contracts.Serialization;
using Suite.Picker.FunctionalTests.Infrastructure;
using Suite.Picker.Pools;
using static Suite.Picker.FunctionalTests.Infrastructure.ResponseAssertions;

namespace Suite.Picker.FunctionalTests.PoolState;

/// <summary>
/// The picker as a Dapr app: the sidecar asks <c>/dapr/subscribe</c> on the app port (9090) and POSTs each
/// <c>pod-state</c> event as a CloudEvent; these tests play the sidecar with the exact requests it sends.
/// </summary>
public sealed class PodStateSubscriptionTests : IDisposable
{
    private readonly PickerFactory _picker = new PickerFactory().With("Picker:PoolName", "chat-pool");
    private readonly HttpClient _sidecar;

    public PodStateSubscriptionTests()
    {
        _sidecar = _picker.CreateClient();
        _sidecar.BaseAddress = new Uri("http://localhost:9090");
    }

    [Fact]
    public async Task DaprSubscribe_OnTheAppPort_ListsTheCatalogPodStatePoolPressureAndRoutingDecisionTopicsVerbatim()
    {
        var body = await _sidecar.GetStringAsync("/dapr/subscribe");

        Assert.Equal(
            """[{"topic":"catalog","pubsubName":"pubsub","route":"events/catalog"},{"topic":"pod-state","pubsubName":"pubsub","route":"events/pod-state"},{"topic":"pool-pressure","pubsubName":"pubsub","route":"events/pool-pressure"},{"topic":"routing-decisions","pubsubName":"pubsub","route":"events/routing-decisions"}]""",
            body);
    }

    [Fact]
    public async Task DaprSubscribe_DecisionSharingOff_LeavesRoutingDecisionsOut()
    {
        using var picker = new PickerFactory().With("Picker:Prefix:ShareDecisions", "false");
        using var sidecar = picker.CreateClient();
        sidecar.BaseAddress = new Uri("http://localhost:9090");

        var body = await sidecar.GetStringAsync("/dapr/subscribe");

        Assert.DoesNotContain("routing-decisions", body, StringComparison.Ordinal);
        Assert.Contains("pod-state", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DaprSubscribe_OnTheGrpcPort_IsNotServed()
    {
        using var client = _picker.CreateClient();
        client.BaseAddress = new Uri("http://localhost:9002");

        using var response = await client.GetAsync("/dapr/subscribe");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task PodStateEvent_ChangesWhereRequestsGo()
    {
        var first = await DeliverAsync(Snapshot(1, ("10.0.0.1:8000", 0), ("10.0.0.2:8000", 7)));
        var before = await RouteOneAsync();
        var second = await DeliverAsync(Snapshot(2, ("10.0.0.1:8000", 9), ("10.0.0.2:8000", 0)));
        var after = await RouteOneAsync();

        Assert.Equal("""{"status":"SUCCESS"}""", first);
        Assert.Equal("""{"status":"SUCCESS"}""", second);
        Assert.Equal("10.0.0.1:8000", before);
        Assert.Equal("10.0.0.2:8000", after);
    }

    [Fact]
    public async Task PodStateEvent_OlderVersion_IsAcknowledgedAndIgnored()
    {
        await DeliverAsync(Snapshot(5, ("10.0.0.1:8000", 0)));

        var answer = await DeliverAsync(Snapshot(4, ("10.0.0.9:8000", 0)));

        Assert.Equal("""{"status":"SUCCESS"}""", answer);
        var held = _picker.Services.GetRequiredService<PoolStateStore>().Current!;
        Assert.Equal(5, held.Version);
        Assert.Equal("10.0.0.1:8000", held.Endpoints[0].Address);
    }

    [Fact]
    public async Task PodStateEvent_OfAnotherPool_IsAcknowledgedAndIgnored()
    {
        var answer = await DeliverAsync(Snapshot(1, ("10.0.0.1:8000", 0)) with { PoolName = "batch-pool" });

        Assert.Equal("""{"status":"SUCCESS"}""", answer);
        Assert.Null(_picker.Services.GetRequiredService<PoolStateStore>().Current);
    }

    [Fact]
    public async Task PodStateEvent_WithUnreadableData_IsDropped()
    {
        var answer = await PostCloudEventAsync("""{"poolName": 17, "version": "x"}""");

        Assert.Equal("""{"status":"DROP"}""", answer);
        Assert.Null(_picker.Services.GetRequiredService<PoolStateStore>().Current);
    }

    public void Dispose()
    {
        _sidecar.Dispose();
        _picker.Dispose();
    }

    internal static PoolSnapshot Snapshot(long version, params (string Address, int Waiting)[] endpoints) => new(
        "chat-pool",
        version,
        DateTimeOffset.UtcNow,
        [.. endpoints.Select(e => PickerFactory.Endpoint(e.Address, waiting: e.Waiting))]);

    private Task<string> DeliverAsync(PoolSnapshot snapshot) =>
        PostCloudEventAsync(JsonSerializer.Serialize(snapshot, ContractsJsonContext.Default.PoolSnapshot));

    /// <summary>A CloudEvent 1.0 envelope as daprd delivers it, with the payload as JSON <c>data</c>.</summary>
    private async Task<string> PostCloudEventAsync(string data)
    {
        var cloudEvent = $$"""
            {"specversion":"1.0","id":"{{Guid.NewGuid()}}","source":"metrics-collector","type":"com.dapr.event.sent",
             "datacontenttype":"application/json","topic":"pod-state","pubsubname":"pubsub",
             "traceparent":"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01","data":{{data}}}
            """;
        using var content = new StringContent(cloudEvent, Encoding.UTF8, "application/cloudevents+json");
        using var response = await _sidecar.PostAsync("/events/pod-state", content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private async Task<string?> RouteOneAsync()
    {
        await using var envoy = _picker.OpenStream();
        await envoy.SendRequestHeadersAsync();
        await envoy.SendRequestBodyAsync(Encoding.UTF8.GetBytes("""{"model":"m","messages":[]}"""), endOfStream: true);
        var headers = await envoy.ReadAsync();
        return SetHeader(headers.RequestHeaders.Response, "x-gateway-destination-endpoint");
    }
}
