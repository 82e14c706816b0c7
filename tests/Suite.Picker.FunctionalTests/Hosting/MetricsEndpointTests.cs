using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Suite.Picker.ExtProc;
using Suite.Picker.FunctionalTests.Infrastructure;

namespace Suite.Picker.FunctionalTests.Hosting;

/// <summary>
/// <c>/metrics</c> on the HTTP port, scraped as Prometheus would: the reference picker's names and labels, so its
/// dashboards and alerts read this picker, and our own figures next to them.
/// </summary>
[Collection(MetricsRunAlone.Name)]
public sealed class MetricsEndpointTests : IDisposable
{
    private const string Pod = "10.0.0.1:8000";
    private const string JsonWithUsage = """{"id":"c1","choices":[{"text":"ok"}],"usage":{"prompt_tokens":11,"completion_tokens":4,"total_tokens":15}}""";

    private readonly PickerFactory _picker = new();

    public MetricsEndpointTests()
    {
        var stale = PickerFactory.Endpoint("10.0.0.3:8000", waiting: 100, kv: 1.0);
        _picker.Publish(
            PickerFactory.Endpoint(Pod, waiting: 3, kv: 0.5),
            PickerFactory.Endpoint("10.0.0.2:8000", waiting: 1, kv: 0.25),
            stale with { Metrics = stale.Metrics with { Stale = true } });
    }

    [Fact]
    public async Task Scrape_AfterOneServedRequest_CountsItUnderTheReferenceNamesAndLabels()
    {
        await using (var envoy = await _picker.OpenRoutedExchangeAsync())
        {
            await envoy.SendResponseHeadersAsync();
            await envoy.ReadAsync();
            await envoy.SendResponseBodyAsync(JsonWithUsage, endOfStream: true);
            await envoy.ReadAsync();
        }

        var scrape = await ScrapeAsync();

        (string, string)[] model = [("model_name", "m"), ("target_model_name", "m")];
        Assert.Equal(1, scrape.Value("inference_objective_request_total", model));
        Assert.Equal(1, scrape.Value("inference_objective_request_duration_seconds_count", model));
        Assert.Equal(1, scrape.Value("inference_objective_request_sizes_count", model));
        Assert.Equal(Encoding.UTF8.GetByteCount("""{"model":"m","messages":[]}"""), scrape.Value("inference_objective_request_sizes_sum", model));
        Assert.Equal(Encoding.UTF8.GetByteCount(JsonWithUsage), scrape.Value("inference_objective_response_sizes_sum", model));
        Assert.Equal(11, scrape.Value("inference_objective_input_tokens_sum", model));
        Assert.Equal(4, scrape.Value("inference_objective_output_tokens_sum", model));
        Assert.Equal(1, scrape.Value("inference_objective_normalized_time_per_output_token_seconds_count", model));
        Assert.Equal(0, scrape.Value("inference_objective_running_requests", ("model_name", "m")));
        Assert.Equal(1, scrape.Value("inference_extension_scheduler_e2e_duration_seconds_count"));
        Assert.Equal(1, scrape.Value("picker_requests_total", ("outcome", "routed"), ("status", "200"), ("strategy", "max-score")));
    }

    [Fact]
    public async Task Scrape_WhileARequestRuns_CountsItRunning()
    {
        await using var envoy = await _picker.OpenRoutedExchangeAsync();

        var scrape = await ScrapeAsync();

        Assert.Equal(1, scrape.Value("inference_objective_running_requests", ("model_name", "m")));
    }

    [Fact]
    public async Task Scrape_PoolGauges_AverageTheFreshEndpointsUnderThePoolsName()
    {
        var scrape = await ScrapeAsync();

        Assert.Equal(3, scrape.Value("inference_pool_ready_pods", ("name", "test-pool")));
        Assert.Equal(2, scrape.Value("inference_pool_average_queue_size", ("name", "test-pool")));
        Assert.Equal(0.375, scrape.Value("inference_pool_average_kv_cache_utilization", ("name", "test-pool")));
        Assert.Equal(3, scrape.Value("inference_pool_per_pod_queue_size", ("name", "test-pool"), ("model_server_pod", $"pod-{Pod}")));
        Assert.Equal(1, scrape.Value("picker_pool_stale_endpoints", ("name", "test-pool")));
    }

    [Fact]
    public async Task Scrape_WhileABodyIsHalfIn_ShowsItsBytesOutOfTheBodyBudget()
    {
        await using var envoy = _picker.OpenStream();
        await envoy.SendRequestHeadersAsync();
        await envoy.SendRequestBodyAsync(new byte[1000], endOfStream: false);
        var budget = _picker.Services.GetRequiredService<BodyMemoryBudget>();
        Assert.True(await Eventually.TrueAsync(() => budget.Reserved == 1000));

        var scrape = await ScrapeAsync();

        Assert.Equal(1000, scrape.Value("picker_request_bodies_buffered_bytes"));
        Assert.Equal(268_435_456, scrape.Value("picker_request_bodies_budget_bytes"));
    }

    [Fact]
    public async Task Scrape_RejectedRequest_CountsAnErrorWithTheReferenceErrorCode()
    {
        await using (var envoy = _picker.OpenStream())
        {
            await envoy.SendRequestHeadersAsync();
            await envoy.SendRequestBodyAsync("{not json"u8, endOfStream: true);
            var answer = await envoy.ReadAsync();
            Assert.Equal(400, (int)answer.ImmediateResponse.Status.Code);
        }

        var scrape = await ScrapeAsync();

        Assert.Equal(1, scrape.Value("inference_objective_request_error_total", ("model_name", ""), ("target_model_name", ""), ("error_code", "BadRequest")));
        Assert.Equal(1, scrape.Value("inference_objective_request_total", ("model_name", ""), ("target_model_name", "")));
    }

    [Fact]
    public async Task Scrape_ModelServerAnswers500_CountsAModelServerError()
    {
        await using (var envoy = await _picker.OpenRoutedExchangeAsync())
        {
            await envoy.SendResponseHeadersAsync(status: 500);
            await envoy.ReadAsync();
            await envoy.SendResponseBodyAsync("{}", endOfStream: true);
            await envoy.ReadAsync();
        }

        var scrape = await ScrapeAsync();

        Assert.Equal(1, scrape.Value("inference_objective_request_error_total", ("model_name", "m"), ("target_model_name", "m"), ("error_code", "ModelServerError")));
    }

    [Fact]
    public async Task Scrape_BuildInfo_IsOneWithCommitAndBuildRef()
    {
        var scrape = await ScrapeAsync();

        var info = Assert.Single(scrape.Samples, s => s.Name == "inference_extension_info");
        Assert.Equal(1, info.Value);
        Assert.False(string.IsNullOrEmpty(info.Labels["commit"]));
        Assert.False(string.IsNullOrEmpty(info.Labels["build_ref"]));
    }

    [Fact]
    public async Task Scrape_NoNameCarriesAUnitOrTotalSuffixTwice()
    {
        var scrape = await ScrapeAsync();

        Assert.DoesNotContain(scrape.Names, name => name.Contains("_seconds_seconds", StringComparison.Ordinal) || name.Contains("_total_total", StringComparison.Ordinal));
        Assert.Contains("inference_pool_average_kv_cache_utilization", scrape.Names);
    }

    [Theory]
    [InlineData("""{"poolName":17}""", "unreadable")]
    [InlineData("null", "rejected")]
    public async Task Scrape_DroppedEvent_IsCountedByTopicAndReason(string data, string reason)
    {
        using var sidecar = _picker.CreateClient();
        sidecar.BaseAddress = new Uri("http://localhost:9090");
        var cloudEvent = $$"""
            {"specversion":"1.0","id":"e1","source":"metrics-collector","type":"com.dapr.event.sent",
             "datacontenttype":"application/json","topic":"pod-state","pubsubname":"pubsub","data":{{data}}}
            """;
        using var content = new StringContent(cloudEvent, Encoding.UTF8, "application/cloudevents+json");
        using var delivered = await sidecar.PostAsync(new Uri("/events/pod-state", UriKind.Relative), content);

        var scrape = await ScrapeAsync();

        Assert.Equal("""{"status":"DROP"}""", await delivered.Content.ReadAsStringAsync());
        Assert.Equal(1, scrape.Value("messaging_events_dropped_total", ("topic", "pod-state"), ("reason", reason)));
    }

    [Fact]
    public async Task Metrics_OnAnotherPort_IsNotServed()
    {
        using var client = _picker.CreateClient();
        client.BaseAddress = new Uri("http://localhost:9003");

        using var response = await client.GetAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    public void Dispose() => _picker.Dispose();

    private async Task<PrometheusScrape> ScrapeAsync()
    {
        using var client = _picker.CreateClient();
        client.BaseAddress = new Uri("http://localhost:9090");
        return new PrometheusScrape(await client.GetStringAsync(new Uri("/metrics", UriKind.Relative)));
    }
}
