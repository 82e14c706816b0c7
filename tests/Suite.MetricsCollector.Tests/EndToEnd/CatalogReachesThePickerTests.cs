using Suite.MetricsCollector.Tests.Collecting;

namespace Suite.MetricsCollector.Tests.EndToEnd;

/// <summary>The catalog reads the collector's manifests file; its snapshot reaches the picker over the bus.</summary>
[Collection(CollectorHostsGroup.Name)]
public sealed class CatalogReachesThePickerTests
{
    private const string Catalog = """
        ---
        apiVersion: inference.networking.x-k8s.io/v1alpha2
        kind: InferenceModelRewrite
        metadata: {name: aliases, namespace: default}
        spec:
          poolRef: {name: chat-pool}
          rules:
            - matches: [{model: {value: gpt-4o-mini}}]
              targets: [{modelRewrite: sim/tiny}]
        """;

    [Fact]
    public async Task RewrittenName_ThePickerSendsTheCatalogsTargetToThePod()
    {
        await using var suite = await InProcessSuite.StartAsync(pods: 1, catalog: Catalog);
        await Eventually.TrueAsync(() => suite.PoolState.Current is not null);

        var routed = await RouteWhenCatalogArrivesAsync(suite);

        Assert.Equal(InProcessSuite.Address(0, suite.Port), routed.Destination);
        Assert.Equal("""{"model":"sim/tiny","messages":[{"role":"user","content":"hello"}]}""", routed.Body);
    }

    /// <summary>The catalog and the collector start independently: until the catalog arrives the name passes through.</summary>
    private static async Task<RoutedRequest> RouteWhenCatalogArrivesAsync(InProcessSuite suite)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var routed = await suite.RouteAsync("gpt-4o-mini");
            if (!routed.Body.Contains("gpt-4o-mini", StringComparison.Ordinal) || DateTime.UtcNow > deadline)
            {
                return routed;
            }

            await Task.Delay(20);
        }
    }
}
