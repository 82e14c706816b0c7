using System.Net.Http.Json;
using Suite.MetricsCollector.Tests.Collecting;

namespace Suite.MetricsCollector.Tests.EndToEnd;

[Collection(CollectorHostsGroup.Name)]
public sealed class PickerFollowsTheFleetTests
{
    [Fact]
    public async Task BusyPods_ThePickerSendsTheRequestToTheIdleOne()
    {
        await using var suite = await InProcessSuite.StartAsync(pods: 3);
        var port = suite.Port;

        // Pods 0 and 1 stop computing, so the requests sent to them queue; pod 2 stays idle.
        using var client = new HttpClient();
        var queued = new List<Task<HttpResponseMessage>>();
        foreach (var busy in new[] { 0, 1 })
        {
            var instance = suite.Fleet.Instances[busy];
            instance.Faults = instance.Faults with { Paused = true };
            for (var i = 0; i < 3; i++)
            {
                queued.Add(client.PostAsJsonAsync(new Uri(instance.Address!, "/v1/completions"), new { model = "sim/tiny", prompt = "wait", max_tokens = 4 }));
            }
        }

        var seen = await Eventually.TrueAsync(() => suite.PoolState.Current is { } pool
            && pool.Endpoints.Count(e => e.Metrics.WaitingRequests == 3) == 2);
        var destination = (await suite.RouteAsync()).Destination;

        Assert.True(seen, $"the picker never saw the two pods' queues; it holds {Describe(suite)}");
        var figures = suite.PoolState.Current!.Endpoints.ToDictionary(e => e.Address, e => e.Metrics.WaitingRequests);
        Assert.Equal(3, figures[InProcessSuite.Address(0, port)]);
        Assert.Equal(3, figures[InProcessSuite.Address(1, port)]);
        Assert.Equal(0, figures[InProcessSuite.Address(2, port)]);
        Assert.Equal(InProcessSuite.Address(2, port), destination);
    }

    private static string Describe(InProcessSuite suite) => suite.PoolState.Current is { } pool
        ? string.Join(", ", pool.Endpoints.Select(e => $"{e.Address} waiting {e.Metrics.WaitingRequests} stale {e.Metrics.Stale}"))
        : "no snapshot";
}
