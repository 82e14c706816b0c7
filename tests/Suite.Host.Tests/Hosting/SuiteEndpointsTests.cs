using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Suite.Host.Gateway;
using Suite.Host.Hosting;
using Suite.Picker.Observability;
using Suite.Picker.Usage;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Suite.Host.Tests.Hosting;

/// <summary>What a ready suite offers besides the gateway's traffic: health, metrics, routes and endpoints.</summary>
[Collection(EndToEnd.EndToEndRunsAlone.Name)]
public sealed class SuiteEndpointsTests(RunningSuite running) : IClassFixture<RunningSuite>
{
    private readonly EmbeddedSuite _suite = running.Suite;

    [Theory]
    [InlineData("readiness")]
    [InlineData("")]
    [InlineData("liveness")]
    public async Task Health_ReadySuite_IsServing(string service) =>
        Assert.Equal(ServingStatus.Serving, await RunningSuite.HealthAsync(_suite, service));

    [Fact]
    public async Task GatewayReadyPath_ReadySuite_Answers200()
    {
        using var http = new HttpClient();

        using var response = await http.GetAsync(new Uri(_suite.GatewayAddress, GatewayApp.ReadyPath));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Metrics_Page_HasTheMetersOfTheServices()
    {
        var page = await MetricsAsync();

        Assert.Contains("otel_scope_name=\"Suite.MetricsCollector\"", page, StringComparison.Ordinal);
        Assert.Contains("collector_snapshots_published_total", page, StringComparison.Ordinal);
        Assert.Contains("otel_scope_name=\"Suite.Catalog\"", page, StringComparison.Ordinal);
        Assert.Contains("otel_scope_name=\"Suite.Queue\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_PickersOfAllPools_AreSummedIntoOneSeries()
    {
        foreach (var pool in _suite.Pools)
        {
            pool.PickerApp!.Services.GetRequiredService<PickerMetrics>().Usage(new TokenUsage(100, 7, 107, 0));
        }

        var page = await MetricsAsync();

        var line = Assert.Single(page.Split('\n'), line => line.StartsWith("picker_tokens_total{", StringComparison.Ordinal) && line.Contains("type=\"prompt\"", StringComparison.Ordinal));
        Assert.Equal(200, double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Endpoints_EachPool_ListsItsSimulatedPodAtThePoolsPort() =>
        Assert.Equal(
            [$"127.0.1.1:{running.PodPorts[0]}", $"127.0.1.1:{running.PodPorts[1]}"],
            _suite.Pools.Select(pool => Assert.Single(_suite.Endpoints.EndpointsOf(pool.Name))));

    [Fact]
    public async Task Router_CatalogModels_GoToTheirPools()
    {
        await RunningSuite.EventuallyAsync(() => Task.FromResult(_suite.Router.PoolFor("lora-model") is not null), "routed by the catalog");

        Assert.Equal(("chat", "lora", null), (_suite.Router.PoolFor("chat-model"), _suite.Router.PoolFor("lora-model"), _suite.Router.PoolFor("unknown")));
    }

    [Fact]
    public void Pools_EachHasItsPickerAndSimulatedPod() =>
        Assert.Equal(
            [("chat", "chat-0", $"http://127.0.1.1:{running.PodPorts[0]}/"), ("lora", "lora-0", $"http://127.0.1.1:{running.PodPorts[1]}/")],
            _suite.Pools.Select(pool => (pool.Name, pool.SimulatedPods[0].Name, pool.SimulatedPods[0].Address.ToString())));

    [Fact]
    public void StartupSummary_NamesGatewayDashboardPoolsAndPorts()
    {
        var text = StartupSummary.Text(_suite, TimeSpan.FromSeconds(1.25));

        Assert.Contains($"  dashboard  {_suite.GatewayAddress}dashboard\n", text, StringComparison.Ordinal);
        Assert.Contains($"  pool chat: picker (ext_proc, h2c) {_suite.Pools[0].Picker.Authority}, FailClose, default pool, 1 simulated pods, preset tiny\n", text, StringComparison.Ordinal);
        Assert.Contains($"    pods:   lora-0 127.0.1.1:{running.PodPorts[1]}\n", text, StringComparison.Ordinal);
        Assert.Contains($"  metrics    {_suite.MetricsAddress}", text, StringComparison.Ordinal);
        Assert.Contains($"  health     {_suite.HealthAddress.Authority} (grpc.health.v1: liveness, readiness)\n", text, StringComparison.Ordinal);
    }

    private async Task<string> MetricsAsync()
    {
        using var http = new HttpClient();
        return await http.GetStringAsync(_suite.MetricsAddress);
    }
}
