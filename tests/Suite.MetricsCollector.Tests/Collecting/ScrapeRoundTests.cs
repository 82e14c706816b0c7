using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Suite.Contracts.Messaging;
using Suite.MetricsCollector.Observability;

namespace Suite.MetricsCollector.Tests.Collecting;

/// <summary>Scrape rounds against simulated vLLM pods over real HTTP: what each round publishes, and how failures show.</summary>
[Collection(CollectorHostsGroup.Name)]
public sealed class ScrapeRoundTests
{
    private static readonly Dictionary<string, int[]> TwoPools = new()
    {
        ["pool-a"] = [0, 1],
        ["pool-b"] = [2],
    };

    [Fact]
    public async Task Round_TwoPools_PublishesOneSnapshotPerPoolOnPodState()
    {
        await using var harness = await CollectorHarness.StartAsync(pods: 3, TwoPools);

        var round = await harness.RunRoundAsync();

        Assert.Equal([SuiteTopics.PodState, SuiteTopics.PodState], harness.Published.Topics);
        Assert.Equal(["pool-a", "pool-b"], round.Select(s => s.PoolName));
        Assert.Equal([harness.Address(0), harness.Address(1)], round[0].Endpoints.Select(e => e.Address));
        Assert.Equal([harness.Address(2)], round[1].Endpoints.Select(e => e.Address));
        Assert.All(round.SelectMany(s => s.Endpoints), e => Assert.False(e.Metrics.Stale));
        Assert.All(round.SelectMany(s => s.Endpoints), e => Assert.Equal("sim/tiny", e.BaseModel));
    }

    [Fact]
    public async Task Round_FiguresFromTheServersPage()
    {
        await using var harness = await CollectorHarness.StartAsync(pods: 1, new Dictionary<string, int[]> { ["pool-a"] = [0] });
        var instance = harness.Fleet.Instances[0];
        instance.Faults = instance.Faults with { Paused = true };
        using var client = new HttpClient();
        var queued = Enumerable.Range(0, 2)
            .Select(_ => client.PostAsync(new Uri(instance.Address!, "/v1/completions"), new StringContent("""{"model":"sim/tiny","prompt":"x"}""", System.Text.Encoding.UTF8, "application/json")))
            .ToArray();
        await WaitUntilAsync(async () => (await client.GetStringAsync(new Uri(instance.Address!, "/metrics"))).Contains("vllm:num_requests_waiting{model_name=\"sim/tiny\",engine=\"0\"} 2.0", StringComparison.Ordinal));

        var metrics = (await harness.RunRoundAsync())[0].Endpoints[0].Metrics;

        Assert.Equal(2, metrics.WaitingRequests);
        Assert.Equal(0, metrics.RunningRequests);
        Assert.Equal(0.0, metrics.KvCacheUsage);
        Assert.Equal(2, metrics.MaxLora);
        Assert.Equal(16, metrics.BlockSize);
        Assert.Equal(512, metrics.BlockCount);
    }

    [Fact]
    public async Task Round_VersionsIncreaseRoundAfterRound()
    {
        await using var harness = await CollectorHarness.StartAsync(pods: 1, new Dictionary<string, int[]> { ["pool-a"] = [0] });

        var first = (await harness.RunRoundAsync())[0];
        var second = (await harness.RunRoundAsync())[0];

        Assert.True(second.Version > first.Version, $"version {second.Version} after {first.Version}");
        Assert.True(second.TakenAt >= first.TakenAt);
    }

    [Fact]
    public async Task SilentPod_MarkedStaleWithItsLastGoodSampleTime_UntilItAnswersAgain()
    {
        await using var harness = await CollectorHarness.StartAsync(
            pods: 2, new Dictionary<string, int[]> { ["pool-a"] = [0, 1] }, settings: new Dictionary<string, string> { ["Collector:ScrapeTimeout"] = "00:00:00.300" });
        var good = (await harness.RunRoundAsync())[0].Endpoints[1].Metrics;
        var silent = harness.Fleet.Instances[1];
        silent.Faults = silent.Faults with { MetricsSilent = true };

        var during = (await harness.RunRoundAsync())[0];
        silent.Faults = silent.Faults with { MetricsSilent = false };
        await Task.Delay(400); // the hung scrape ends at its 300 ms timeout before the endpoint is asked again
        var after = (await harness.RunRoundAsync())[0].Endpoints[1].Metrics;

        Assert.False(during.Endpoints[0].Metrics.Stale);
        Assert.True(during.Endpoints[1].Metrics.Stale);
        Assert.Equal(good.MeasuredAt, during.Endpoints[1].Metrics.MeasuredAt);
        Assert.False(after.Stale);
        Assert.True(after.MeasuredAt > good.MeasuredAt);
    }

    [Fact]
    public async Task MalformedPage_OnlyThatEndpointIsStale_AndTheFailureIsCounted()
    {
        await using var harness = await CollectorHarness.StartAsync(pods: 2, new Dictionary<string, int[]> { ["pool-a"] = [0, 1] }, garbagePageInPool: "pool-a");
        using var scrapes = new MetricCollector<long>(harness.Collector.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), CollectorMetrics.MeterName, "collector.scrapes");

        var round = (await harness.RunRoundAsync())[0];

        var byAddress = round.Endpoints.ToDictionary(e => e.Address, e => e.Metrics.Stale);
        Assert.False(byAddress[harness.Address(0)]);
        Assert.False(byAddress[harness.Address(1)]);
        Assert.True(byAddress[$"{CollectorHarness.GarbageAddressHost}:{harness.Port}"]);
        var results = scrapes.GetMeasurementSnapshot().GroupBy(m => (string)m.Tags["result"]!).ToDictionary(g => g.Key, g => g.Sum(m => m.Value));
        Assert.Equal(2, results["ok"]);
        Assert.Equal(1, results["malformed"]);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = Environment.TickCount64 + 10_000;
        while (!await condition())
        {
            Assert.True(Environment.TickCount64 < deadline, "condition not reached in 10 s");
            await Task.Delay(10);
        }
    }
}
