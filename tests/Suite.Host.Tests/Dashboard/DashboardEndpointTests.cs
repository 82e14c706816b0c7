using System.Diagnostics.Metrics;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Suite.Contracts.Messaging;
using static Suite.Host.Tests.Dashboard.DashboardSamples;

namespace Suite.Host.Tests.Dashboard;

public class DashboardEndpointTests
{
    // The queue's meter is process-wide: a pool name of this test's own keeps other tests' queues off its counts.
    private const string Pool = "dashboard-endpoint-pool";

    [Fact]
    public async Task State_AfterBusEventsRequestsAndQueueDecisions_ReturnsExactFigures()
    {
        var time = new FakeTimeProvider(Start);
        await using var server = await DashboardServer.StartAsync(time);
        await PublishAsync(server);
        using (var meter = new Meter("Suite.Queue"))
        {
            var decisions = meter.CreateCounter<long>("queue.decisions");
            decisions.Add(3, new("pool", Pool), new("outcome", "admitted"));
            decisions.Add(1, new("pool", Pool), new("outcome", "shed"));
        }

        server.Observer.Completed(Exchange(Pool, "chat", 200, objective: "premium", endpoint: "10.0.0.1:8000",
            decision: "picked=10.0.0.1:8000 candidates=2; 10.0.0.1:8000 total=3.250 queue-depth=1.500 kv-cache=0.250"));
        server.Observer.Completed(Exchange(Pool, "batch", 429, detail: "picker_request_shed"));
        server.Observer.Completed(Exchange(Pool, "base", 503, detail: "picker_queue_expired"));

        using var response = await server.Client.GetAsync("/dashboard/state");
        var state = await ReadJsonAsync(response);

        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        var totals = state.GetProperty("totals");
        Assert.Equal((3, 1, 1, 1, 2, 0.3), (
            totals.GetProperty("requests").GetInt32(), totals.GetProperty("ok").GetInt32(), totals.GetProperty("throttled").GetInt32(),
            totals.GetProperty("otherErrors").GetInt32(), totals.GetProperty("errors").GetInt32(), totals.GetProperty("requestsPerSecond").GetDouble()));
        var pool = Assert.Single(state.GetProperty("pools").EnumerateArray());
        Assert.Equal((Pool, 4), (pool.GetProperty("name").GetString(), pool.GetProperty("snapshotVersion").GetInt32()));
        var pod = Assert.Single(pool.GetProperty("pods").EnumerateArray());
        Assert.Equal(
            ("10.0.0.1:8000", "vllm-0", true, 2, 3, 45.0, "sql-lora"),
            (pod.GetProperty("address").GetString(), pod.GetProperty("podName").GetString(), pod.GetProperty("fresh").GetBoolean(),
                pod.GetProperty("waiting").GetInt32(), pod.GetProperty("running").GetInt32(), pod.GetProperty("kvCachePercent").GetDouble(),
                Assert.Single(pod.GetProperty("adapters").EnumerateArray()).GetString()));
        var queue = pool.GetProperty("queue");
        Assert.Equal((6, 1.5), (queue.GetProperty("depth").GetInt32(), queue.GetProperty("saturation").GetDouble()));
        Assert.Equal(
            """{"admitted":3,"shed":1,"queueFull":0,"expired":0,"withdrawn":0}""",
            queue.GetProperty("queueDecisions").GetRawText());
        Assert.Equal("""{"shed":1,"queueFull":0,"expired":1}""", queue.GetProperty("rejected").GetRawText());
        Assert.Equal(
            [(5, 1), (0, 1), (-1, 1)],
            state.GetProperty("byPriority").EnumerateArray().Select(p => (p.GetProperty("priority").GetInt32(), p.GetProperty("requests").GetInt32())));
        var oldest = state.GetProperty("decisions").EnumerateArray().Last();
        Assert.Equal(
            ("chat", "premium", 5, 200, "10.0.0.1:8000", 3.25, """[{"scorer":"queue-depth","score":1.5},{"scorer":"kv-cache","score":0.25}]"""),
            (oldest.GetProperty("model").GetString(), oldest.GetProperty("objective").GetString(), oldest.GetProperty("priority").GetInt32(),
                oldest.GetProperty("status").GetInt32(), oldest.GetProperty("picked").GetString(), oldest.GetProperty("score").GetDouble(),
                oldest.GetProperty("scores").GetRawText()));
    }

    [Fact]
    public async Task Page_Get_ReturnsTheHtmlWithTheNumbersTestsRead()
    {
        await using var server = await DashboardServer.StartAsync();

        using var response = await server.Client.GetAsync("/dashboard");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/html; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Contains("""id="total-requests" """, html, StringComparison.Ordinal);
        Assert.Contains("""fetch("/dashboard/state", """, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Events_Get_PushesTheStateAsServerSentEvents()
    {
        await using var server = await DashboardServer.StartAsync(new FakeTimeProvider(Start));
        server.Observer.Completed(Exchange(Pool, "chat", 200));

        using var response = await server.Client.GetAsync("/dashboard/events", HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var line = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(line);
        Assert.StartsWith("data: {", line, StringComparison.Ordinal);
        using var state = JsonDocument.Parse(line["data: ".Length..]);
        Assert.Equal(1, state.RootElement.GetProperty("totals").GetProperty("requests").GetInt32());
    }

    private static async Task PublishAsync(DashboardServer server)
    {
        await server.Bus.PublishAsync(SuiteTopics.Catalog, PoolCatalog(Pool), CancellationToken.None);
        await server.Bus.PublishAsync(
            SuiteTopics.PodState,
            Pods(Pool, 4, Start, Pod("10.0.0.1:8000", "vllm-0", 2, 3, 0.45, Start.AddMilliseconds(-100), adapters: ["sql-lora"])),
            CancellationToken.None);
        await server.Bus.PublishAsync(SuiteTopics.PoolPressure, Pressure(Pool, 6, 1.5, 1, Start), CancellationToken.None);
    }

    private static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response)
    {
        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }
}
