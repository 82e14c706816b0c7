using System.Globalization;
using Suite.Host.Hosting;
using Xunit.Abstractions;
using static Suite.Host.Tests.Faults.FaultSuite;

namespace Suite.Host.Tests.Faults;

/// <summary>
/// A chaos run: under sustained load on both pools, a random part of the suite (the collector, the catalog, the
/// queue, a picker, a model server) is stopped and started again, one after another. Every request is accounted
/// for: served, or ended with an error the client sees; none lost, none hung past its timeout.
/// Seconds and seed come from <c>SUITE_CHAOS_SECONDS</c> (default 20) and <c>SUITE_CHAOS_SEED</c> (default 42), so
/// a long run is the same test: <c>SUITE_CHAOS_SECONDS=300 dotnet test tests/Suite.Host.Tests --filter ChaosTests</c>.
/// </summary>
[Collection(FaultInjectionRunsAlone.Name)]
public sealed class ChaosTests(ITestOutputHelper output)
{
    private enum Part
    {
        Collector,
        Catalog,
        Queue,
        ChatPicker,
        OpenPicker,
        ChatPod0,
        ChatPod1,
        ChatPod2,
    }

    [Fact]
    public async Task RandomPartsKilledAndRestarted_EveryRequestServedOrAnsweredWithAnError()
    {
        var seconds = Setting("SUITE_CHAOS_SECONDS", 20);
        var random = new Random(Setting("SUITE_CHAOS_SEED", 42));
        await using var faults = await FaultSuite.StartAsync(TimeSpan.FromSeconds(5));
        string[] models = [ChatModel, OpenModel];
        await using var load = GatewayLoad.Start(faults.Suite.GatewayAddress, clients: 6, n => models[n % 2]);

        var kills = new List<string>();
        while (load.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(random.Next(500, 1500)));
            var part = (Part)random.Next(Enum.GetValues<Part>().Length);
            var down = TimeSpan.FromMilliseconds(random.Next(300, 2000));
            kills.Add(string.Create(CultureInfo.InvariantCulture, $"{load.Elapsed.TotalSeconds:0.0}s {part} {down.TotalMilliseconds:0}ms"));
            await StopPartAsync(faults.Suite, part);
            await Task.Delay(down);
            await StartPartAsync(faults.Suite, part);
        }

        await faults.Suite.WaitUntilReadyAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
        var summary = new LoadSummary(await load.StopAsync());
        await faults.GatewayReportedAsync(summary.Total);
        output.WriteLine($"chaos {seconds} s, {kills.Count} kills: {string.Join(", ", kills)}");
        output.WriteLine(summary.ToString());

        Assert.True(summary.Lost == 0, summary.ToString());
        Assert.Equal(summary.Total, summary.Count(LoadOutcome.Served) + summary.Count(LoadOutcome.ErrorStatus) + summary.Count(LoadOutcome.Broken));
        Assert.Equal(summary.Total, faults.Exchanges.Count);
        Assert.True(summary.Count(LoadOutcome.Served) > summary.Total / 2, summary.ToString());
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(5);
        while (faults.ChatInFlight().Any(count => count != 0))
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, $"in flight per chat pod after the run: {string.Join(", ", faults.ChatInFlight())}");
            await Task.Delay(20);
        }
    }

    private static Task StopPartAsync(EmbeddedSuite suite, Part part) => part switch
    {
        Part.Collector => suite.StopAsync(SuiteService.Collector),
        Part.Catalog => suite.StopAsync(SuiteService.Catalog),
        Part.Queue => suite.StopAsync(SuiteService.Queue),
        Part.ChatPicker => suite.StopPickerAsync(Chat),
        Part.OpenPicker => suite.StopPickerAsync(Open),
        _ => suite.StopPodAsync(Chat, part - Part.ChatPod0),
    };

    private static Task StartPartAsync(EmbeddedSuite suite, Part part) => part switch
    {
        Part.Collector => suite.StartAsync(SuiteService.Collector),
        Part.Catalog => suite.StartAsync(SuiteService.Catalog),
        Part.Queue => suite.StartAsync(SuiteService.Queue),
        Part.ChatPicker => suite.StartPickerAsync(Chat),
        Part.OpenPicker => suite.StartPickerAsync(Open),
        _ => suite.StartPodAsync(Chat, part - Part.ChatPod0),
    };

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : fallback;
}
