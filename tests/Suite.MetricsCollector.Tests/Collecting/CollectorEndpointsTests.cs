using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Suite.MetricsCollector.Tests.Collecting;

/// <summary>The collector's own HTTP surface: probes and its Prometheus page.</summary>
[Collection(CollectorHostsGroup.Name)]
public sealed class CollectorEndpointsTests
{
    [Fact]
    public async Task Probes_AfterTheFirstFullView_LiveAndReady()
    {
        await using var harness = await CollectorHarness.StartAsync(pods: 1, new Dictionary<string, int[]> { ["pool-a"] = [0] });
        using var client = harness.Collector.CreateClient();

        using var live = await client.GetAsync("/healthz");
        using var ready = await client.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task MetricsPage_CountsScrapesByResult()
    {
        await using var harness = await CollectorHarness.StartAsync(pods: 1, new Dictionary<string, int[]> { ["pool-a"] = [0] }, garbagePageInPool: "pool-a");
        using var client = harness.Collector.CreateClient();
        var before = await client.GetStringAsync("/metrics");

        await harness.RunRoundAsync();
        var after = await client.GetStringAsync("/metrics");

        // Cumulative counters: the start-up round's outcomes (a cold server may time out) are in both pages.
        Assert.Equal(Count(before, "malformed") + 1, Count(after, "malformed"));
        Assert.Equal(Count(before, "ok") + 1, Count(after, "ok"));
    }

    private static long Count(string page, string result)
    {
        var match = Regex.Match(page, $$"""^collector_scrapes_total\{otel_scope_name="Suite.MetricsCollector",result="{{result}}"\} (\d+)$""", RegexOptions.Multiline);
        return match.Success ? long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }
}
