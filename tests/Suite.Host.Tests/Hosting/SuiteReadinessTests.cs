using System.Net;
using Suite.Host.Gateway;
using Suite.Host.Health;
using Suite.Host.Hosting;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Suite.Host.Tests.Hosting;

/// <summary>The suite's readiness: SERVING only once every pool's picker holds a pool snapshot.</summary>
public sealed class SuiteReadinessTests
{
    private static readonly string[] HealthServices = ["readiness", "", "liveness"];

    [Fact]
    public async Task Readiness_NotServingBeforeTheFirstSnapshotsAndServingOnceEveryPoolHasOne()
    {
        var (cluster, _) = RunningSuite.WriteCluster();
        try
        {
            var before = new Dictionary<string, ServingStatus>();
            var gatewayBefore = (Status: HttpStatusCode.OK, Text: "");
            await using var suite = await EmbeddedSuite.StartAsync(
                RunningSuite.Options(cluster),
                async (running, cancellationToken) =>
                {
                    // Everything runs but the catalog and the collector: no picker can hold a snapshot yet.
                    foreach (var service in HealthServices)
                    {
                        before[service] = await RunningSuite.HealthAsync(running, service);
                    }

                    using var http = new HttpClient();
                    using var response = await http.GetAsync(new Uri(running.GatewayAddress, GatewayApp.ReadyPath), cancellationToken);
                    gatewayBefore = (response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
                },
                CancellationToken.None);

            await suite.WaitUntilReadyAsync(RunningSuite.ReadyTimeout, CancellationToken.None);

            Assert.Equal(ServingStatus.NotServing, before["readiness"]);
            Assert.Equal(ServingStatus.NotServing, before[""]);
            Assert.Equal(ServingStatus.Serving, before["liveness"]);
            Assert.Equal((HttpStatusCode.ServiceUnavailable, "not ready: no pool snapshot yet for chat, lora\n"), gatewayBefore);
            Assert.Equal(ServingStatus.Serving, await RunningSuite.HealthAsync(suite, "readiness"));
            Assert.Equal(ServingStatus.Serving, await RunningSuite.HealthAsync(suite, ""));
        }
        finally
        {
            TestClusters.Delete(cluster);
        }
    }

    [Fact]
    public async Task WaitUntilReadyAsync_PoolThatNeverGetsASnapshot_TimesOutNamingIt()
    {
        var readiness = new SuiteReadiness();
        readiness.ExpectPools(["chat", "lora"]);

        var error = await Assert.ThrowsAsync<TimeoutException>(() =>
            readiness.WaitUntilReadyAsync(TimeSpan.FromMilliseconds(100), TimeProvider.System, CancellationToken.None));

        Assert.StartsWith("not ready after 0.1 s: no pool snapshot yet for chat, lora — ", error.Message, StringComparison.Ordinal);
    }
}
