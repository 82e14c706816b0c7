using System.Globalization;
using System.Text.RegularExpressions;

namespace Suite.Host.Tests.Dashboard;

/// <summary>
/// The page in a real headless browser (Debian's chromium): its script fetches the state and fills the tables.
/// Skipped when chromium is not installed. Set <c>DASHBOARD_SCREENSHOT</c> to a path to also save a screenshot of the
/// real suite's page.
/// </summary>
public partial class DashboardBrowserTests
{
    private const string NoChromium = "chromium is not installed (apt-get install chromium; .ci/run installs it when it can)";

    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(2);

    [SkippableFact]
    public async Task Page_OnTheRealSuiteWithRequestsThroughTheGateway_ShowsPodsDecisionsAndGrowingCounts()
    {
        Skip.If(HeadlessChromium.Executable is null, NoChromium);
        await using var traffic = await SuiteTraffic.StartAsync(clients: 8);
        await traffic.FlowingAsync(requests: 20);
        var page = traffic.Suite.DashboardAddress;
        var pools = traffic.Suite.Pools;
        var firstPod = pools[0].SimulatedPods[0].Address;

        var first = await HeadlessChromium.DumpDomAsync(page, Budget);
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var second = await HeadlessChromium.DumpDomAsync(page, Budget);

        Assert.Contains(
            $"""<tr class="pod-row" data-pool="{pools[0].Name}" data-address="{firstPod.Host}:{firstPod.Port}">""", first, StringComparison.Ordinal);
        Assert.Contains($"""<tr class="pod-row" data-pool="{pools[1].Name}" """, first, StringComparison.Ordinal);
        Assert.Equal(pools.Sum(pool => pool.SimulatedPods.Count), Number(second, "pod-count"));
        Assert.InRange(Number(first, "total-requests"), 1, double.MaxValue);
        Assert.InRange(Number(second, "total-requests"), Number(first, "total-requests") + 1, double.MaxValue);
        Assert.InRange(Number(second, "requests-per-second"), 0.1, double.MaxValue);
        Assert.Matches(ScoredDecisionRow(), second);
        Assert.Contains("""<tr data-model="sql-assistant">""", second, StringComparison.Ordinal);
        if (Environment.GetEnvironmentVariable("DASHBOARD_SCREENSHOT") is { Length: > 0 } screenshot)
        {
            await HeadlessChromium.ScreenshotAsync(page, Budget, Path.GetFullPath(screenshot), 1280, 900);
        }
    }

    [SkippableFact]
    public async Task Page_WhileSyntheticTrafficFlows_ShowsFreshAndStalePodsAndGrowingCounts()
    {
        Skip.If(HeadlessChromium.Executable is null, NoChromium);
        await using var server = await DashboardServer.StartAsync();
        await using var traffic = await SyntheticTraffic.StartAsync(server);
        var page = new Uri(server.BaseAddress, "/dashboard");

        var first = await HeadlessChromium.DumpDomAsync(page, Budget);
        await Task.Delay(TimeSpan.FromSeconds(1));
        var second = await HeadlessChromium.DumpDomAsync(page, Budget);

        Assert.Contains("""<tr class="pod-row" data-pool="llama-8b" data-address="10.0.1.11:8000">""", first, StringComparison.Ordinal);
        Assert.Contains("""<span class="badge ok">fresh</span>""", first, StringComparison.Ordinal);
        Assert.Contains("""<span class="badge bad">stale</span>""", first, StringComparison.Ordinal);
        Assert.Equal(6, Number(second, "pod-count"));
        Assert.InRange(Number(first, "total-requests"), 1, double.MaxValue);
        Assert.InRange(Number(second, "total-requests"), Number(first, "total-requests") + 1, double.MaxValue);
        Assert.Matches(ScoredDecisionRow(), second);
    }

    /// <summary>The number the page shows in the element with that id (its <c>data-value</c>).</summary>
    private static double Number(string dom, string id)
    {
        var match = Regex.Match(dom, $"id=\"{id}\"[^>]*data-value=\"([-0-9.e]+)\"", RegexOptions.CultureInvariant);
        Assert.True(match.Success, $"#{id} with a data-value is not on the page");
        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    /// <summary>A row of the decisions table: its time, then (after pool, model, objective, priority) 200, the endpoint and the picked endpoint's score.</summary>
    [GeneratedRegex("""<tbody id="decisions">(<tr>.*?</tr>)*?<tr><td class="mono">\d\d:\d\d:\d\d\.\d{3}</td>(<td[^>]*>[^<]*</td>){4}<td><span class="badge ok">200</span></td><td class="mono">[0-9.:]+</td><td class="num">\d+\.\d{3}</td>""")]
    private static partial Regex ScoredDecisionRow();
}
