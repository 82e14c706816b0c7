using Suite.Catalog.Resolution;
using Suite.Catalog.Sources;
using Suite.Contracts.Catalog;

namespace Suite.Catalog.Tests.Sources;

public sealed class CatalogResourcesTests
{
    private const string Manifests = """
        apiVersion: inference.networking.k8s.io/v1
        kind: InferencePool
        metadata:
          name: chat-pool
        spec:
          selector:
            matchLabels:
              app: chat
          targetPorts:
            - number: 8000
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: chat-0
          labels:
            app: chat
        ---
        apiVersion: inference.networking.x-k8s.io/v1alpha2
        kind: InferenceModel
        metadata:
          name: sql-canary
          creationTimestamp: "2026-11-20T10:00:00Z"
        spec:
          modelName: sql-assistant
          criticality: Critical
          poolRef:
            name: chat-pool
          targetModels:
            - name: sql-lora-v1
              weight: 90
            - name: sql-lora-v2
              weight: 10
        ---
        apiVersion: inference.networking.x-k8s.io/v1alpha2
        kind: InferenceModel
        metadata:
          name: sql-late
          creationTimestamp: "2026-11-22T10:00:00Z"
        spec:
          modelName: sql-assistant
          poolRef:
            name: chat-pool
        ---
        apiVersion: inference.networking.x-k8s.io/v1alpha2
        kind: InferenceObjective
        metadata:
          name: batch
        spec:
          priority: -1
          poolRef:
            name: chat-pool
        """;

    [Fact]
    public void FromManifests_CatalogKindsRead_PodsSkipped()
    {
        var resources = CatalogResources.FromManifests(Manifests, "catalog.yaml");

        Assert.Equal(["chat-pool"], resources.Pools.Select(p => p.Name));
        Assert.Equal(["sql-canary", "sql-late"], resources.Models.Select(m => m.Metadata.Name));
        Assert.Equal(-1, Assert.Single(resources.Objectives).Spec!.Priority);
    }

    [Fact]
    public void FromManifests_ThenResolve_TheOlderModelServesTheName()
    {
        var resources = CatalogResources.FromManifests(Manifests, "catalog.yaml");

        var resolution = resources.Resolve();

        var model = Assert.Single(resolution.Pools["chat-pool"].Models);
        Assert.Equal(Criticality.Critical, model.Criticality);
        Assert.Equal(["sql-lora-v1", "sql-lora-v2"], model.Targets.Select(t => t.Name));
        Assert.Equal("ModelNameInUse", resolution.Conditions["InferenceModel default/sql-late"].Reason);
        Assert.Equal([new CatalogObjective("batch", -1)], resolution.Pools["chat-pool"].Objectives.ToArray());
    }

    [Fact]
    public void FromManifests_Malformed_TheErrorNamesFileAndLine()
    {
        var error = Assert.Throws<InvalidDataException>(() => CatalogResources.FromManifests("kind: [unclosed\n", "catalog.yaml"));

        Assert.StartsWith("catalog.yaml line ", error.Message, StringComparison.Ordinal);
    }
}
