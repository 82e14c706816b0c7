using Dapr.Client;
using Microsoft.Extensions.DependencyInjection;
using NSubstitute;
using Suite.Contracts.Pools;

namespace Suite.MetricsCollector.Tests.Collecting;

/// <summary>
/// The collector in Dapr mode, with the SDK's abstract <see cref="DaprClient"/> replaced by a substitute: what
/// it asks the sidecar to publish and store. (No daprd runs here; its side of the contract is out of reach.)
/// </summary>
[Collection(CollectorHostsGroup.Name)]
public sealed class DaprPublishingTests
{
    [Fact]
    public async Task Round_PublishesThroughDaprClientOnPodState_AndSavesTheSnapshotWithTtl()
    {
        var dapr = Substitute.For<DaprClient>();
        await using var harness = await CollectorHarness.StartAsync(
            pods: 1,
            new Dictionary<string, int[]> { ["pool-a"] = [0] },
            settings: new Dictionary<string, string>
            {
                ["Messaging:Mode"] = "Dapr",
                ["Messaging:PubSubName"] = "events",
                ["Collector:SnapshotTimeToLive"] = "00:02:00",
            },
            services: services => services.AddSingleton(dapr),
            recordEvents: false);

        await WaitUntilAsync(() => dapr.ReceivedCalls().Any(c => c.GetMethodInfo().Name == nameof(DaprClient.SaveStateAsync)));

        await dapr.Received().PublishEventAsync(
            "events", "pod-state", Arg.Is<PoolSnapshot>(s => s.PoolName == "pool-a" && s.Endpoints.Length == 1), Arg.Any<CancellationToken>());
        await dapr.Received().SaveStateAsync(
            "statestore",
            "pool/pool-a",
            Arg.Is<PoolSnapshot>(s => s.PoolName == "pool-a"),
            null,
            Arg.Is<IReadOnlyDictionary<string, string>>(m => m.Count == 1 && m["ttlInSeconds"] == "120"),
            Arg.Any<CancellationToken>());
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = Environment.TickCount64 + 10_000;
        while (!condition())
        {
            Assert.True(Environment.TickCount64 < deadline, "condition not reached in 10 s");
            await Task.Delay(10);
        }
    }
}
