using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Suite.Contracts.Serialization;
using Suite.Picker.FunctionalTests.Infrastructure;
using Suite.Picker.Pools;

namespace Suite.Picker.FunctionalTests.PoolState;

/// <summary>
/// With an app API token configured (<c>APP_API_TOKEN</c>, from <c>dapr.io/app-token-secret</c>), only callers that
/// present it in <c>dapr-api-token</c>, as the sidecar does, can list subscriptions or deliver events.
/// </summary>
public sealed class DaprAppTokenTests : IDisposable
{
    private const string Token = "sidecar-secret-7f3a";

    private readonly PickerFactory _picker = new PickerFactory().With("Picker:PoolName", "chat-pool").With("APP_API_TOKEN", Token);
    private readonly HttpClient _caller;

    public DaprAppTokenTests()
    {
        _caller = _picker.CreateClient();
        _caller.BaseAddress = new Uri("http://localhost:9090");
    }

    [Fact]
    public async Task DaprSubscribe_WithoutTheToken_Is401()
    {
        using var response = await _caller.GetAsync(new Uri("/dapr/subscribe", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task DaprSubscribe_WithTheToken_ListsTheTopics()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/dapr/subscribe") { Headers = { { "dapr-api-token", Token } } };

        using var response = await _caller.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"topic\":\"pod-state\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("sidecar-secret-7f3b")]
    [InlineData("")]
    public async Task PodStateEvent_WithoutTheRightToken_Is401AndChangesNothing(string? presented)
    {
        using var response = await PostSnapshotAsync(presented);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(_picker.Services.GetRequiredService<PoolStateStore>().Current);
    }

    [Fact]
    public async Task PodStateEvent_WithTheToken_IsDelivered()
    {
        using var response = await PostSnapshotAsync(Token);

        Assert.Equal("""{"status":"SUCCESS"}""", await response.Content.ReadAsStringAsync());
        Assert.Equal(3, _picker.Services.GetRequiredService<PoolStateStore>().Current!.Version);
    }

    [Fact]
    public async Task ExtProc_IsNotGuardedByTheSidecarsToken()
    {
        _picker.Publish(PickerFactory.Endpoint("10.0.0.1:8000"));

        await using var envoy = _picker.OpenStream();
        await envoy.SendRequestHeadersAsync();
        await envoy.SendRequestBodyAsync("""{"model":"m","messages":[]}"""u8, endOfStream: true);
        var answer = await envoy.ReadAsync();

        Assert.NotNull(answer.RequestHeaders);
    }

    public void Dispose()
    {
        _caller.Dispose();
        _picker.Dispose();
    }

    private async Task<HttpResponseMessage> PostSnapshotAsync(string? token)
    {
        var data = JsonSerializer.Serialize(PodStateSubscriptionTests.Snapshot(3, ("10.0.0.1:8000", 0)), ContractsJsonContext.Default.PoolSnapshot);
        var cloudEvent = $$"""
            {"specversion":"1.0","id":"{{Guid.NewGuid()}}","source":"metrics-collector","type":"com.dapr.event.sent",
             "datacontenttype":"application/json","topic":"pod-state","pubsubname":"pubsub","data":{{data}}}
            """;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/events/pod-state")
        {
            Content = new StringContent(cloudEvent, Encoding.UTF8, "application/cloudevents+json"),
        };
        if (token is not null)
        {
            request.Headers.Add("dapr-api-token", token);
        }

        return await _caller.SendAsync(request);
    }
}
