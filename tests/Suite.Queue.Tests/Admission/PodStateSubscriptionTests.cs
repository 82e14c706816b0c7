using System.Net;
using System.Text;
using System.Text.Json;
using Suite.Contracts.Flow;
using Suite.Contracts.Serialization;

namespace Suite.Queue.Tests.Admission;

/// <summary>The queue as a Dapr app: the tests play the sidecar, with the requests daprd sends on the app port.</summary>
public sealed class PodStateSubscriptionTests
{
    [Fact]
    public async Task DaprSubscribe_OnTheAppPort_ListsPodStateVerbatim()
    {
        await using var host = QueueHost.Start(("Messaging:Mode", "Dapr"));
        using var sidecar = Sidecar(host);

        var body = await sidecar.GetStringAsync(new Uri("/dapr/subscribe", UriKind.Relative));

        Assert.Equal("""[{"topic":"pod-state","pubsubName":"pubsub","route":"events/pod-state"}]""", body);
    }

    [Fact]
    public async Task PodStateCloudEvent_OfAnOwnedPool_SetsItsSaturation_OtherShardsPoolsIgnored()
    {
        var other = Enumerable.Range(0, 100).Select(i => $"pool-{i}").First(p => QueueShards.OwnerOf(p, 2) != QueueShards.OwnerOf(Pools.Name, 2));
        var index = QueueShards.OwnerOf(Pools.Name, 2).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var host = QueueHost.Start(("Messaging:Mode", "Dapr"), ("Queue:ShardCount", "2"), ("Queue:ShardIndex", index));
        using var sidecar = Sidecar(host);
        var now = host.Time.GetUtcNow();

        var owned = await DeliverAsync(sidecar, Pools.Snapshot(1, now, (5, 0.1), (0, 0.1)));
        var foreign = await DeliverAsync(sidecar, Pools.Snapshot(1, now, (5, 0.1)) with { PoolName = other });

        Assert.Equal(("""{"status":"SUCCESS"}""", """{"status":"SUCCESS"}"""), (owned, foreign));
        // (max(5/5, 0.1/0.8) + max(0/5, 0.1/0.8)) / 2 = (1 + 0.125) / 2
        Assert.Equal(0.5625, host.Controller.ForPool(Pools.Name)!.Saturation);
        Assert.Null(host.Controller.ForPool(other));
    }

    private static HttpClient Sidecar(QueueHost host)
    {
        var client = host.Factory.CreateClient();
        client.BaseAddress = new Uri("http://localhost:9090");
        return client;
    }

    private static async Task<string> DeliverAsync(HttpClient sidecar, Suite.Contracts.Pools.PoolSnapshot snapshot)
    {
        var data = JsonSerializer.Serialize(snapshot, ContractsJsonContext.Default.PoolSnapshot);
        var cloudEvent = $$"""
            {"specversion":"1.0","id":"{{Guid.NewGuid()}}","source":"metrics-collector","type":"com.dapr.event.sent",
             "datacontenttype":"application/json","topic":"pod-state","pubsubname":"pubsub","data":{{data}}}
            """;
        using var content = new StringContent(cloudEvent, Encoding.UTF8, "application/cloudevents+json");
        using var response = await sidecar.PostAsync(new Uri("/events/pod-state", UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }
}
