using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Suite.Kubernetes.Manifests;
using Suite.Kubernetes.Resources;
using Suite.MetricsCollector.Discovery;

namespace Suite.MetricsCollector.Tests.Discovery;

public sealed class ManifestReaderTests
{
    private static readonly Dictionary<string, Func<JsonNode, IKubernetesObject<V1ObjectMeta>>> Kinds = new()
    {
        ["v1/Pod"] = json => KubernetesJson.Deserialize<V1Pod>(json),
        ["inference.networking.k8s.io/v1/InferencePool"] = json => KubernetesJson.Deserialize<V1InferencePool>(json),
        ["inference.networking.x-k8s.io/v1alpha2/InferencePool"] = json => KubernetesJson.Deserialize<V1Alpha2InferencePool>(json),
    };

    [Fact]
    public void Read_SeveralDocuments_EachObjectWithItsLine()
    {
        const string yaml = """
            apiVersion: v1
            kind: Pod
            metadata: {name: chat-0}
            ---
            apiVersion: inference.networking.k8s.io/v1
            kind: InferencePool
            metadata: {name: chat-pool}
            ---
            apiVersion: inference.networking.x-k8s.io/v1alpha2
            kind: InferencePool
            metadata: {name: legacy-pool}
            """;

        var contents = ManifestReader.Read(yaml, "pools.yaml", Kinds);

        Assert.Equal(
            [(typeof(V1Pod), "chat-0", 1L), (typeof(V1InferencePool), "chat-pool", 5L), (typeof(V1Alpha2InferencePool), "legacy-pool", 9L)],
            contents.Objects.Select(o => (o.Value.GetType(), o.Value.Metadata.Name, o.Line)));
        Assert.Empty(contents.Skipped);
    }

    [Fact]
    public void Read_ListKind_ReadsItsItems()
    {
        const string yaml = """
            apiVersion: v1
            kind: List
            items:
              - apiVersion: v1
                kind: Pod
                metadata: {name: chat-0}
              - apiVersion: inference.networking.k8s.io/v1
                kind: InferencePool
                metadata: {name: chat-pool}
            """;

        var contents = ManifestReader.Read(yaml, "pools.yaml", Kinds);

        Assert.Equal([("chat-0", 4L), ("chat-pool", 7L)], contents.Objects.Select(o => (o.Value.Metadata.Name, o.Line)));
    }

    [Fact]
    public void Read_TypedList_ItemsTakeTheListsKind()
    {
        const string yaml = """
            {"apiVersion": "v1", "kind": "PodList", "metadata": {"resourceVersion": "7"},
             "items": [{"metadata": {"name": "chat-0"}, "status": {"podIP": "10.0.0.1"}}]}
            """;

        var contents = ManifestReader.Read(yaml, "pods.json", Kinds);

        var pod = Assert.IsType<V1Pod>(Assert.Single(contents.Objects).Value);
        Assert.Equal(("v1", "Pod", "chat-0", "10.0.0.1"), (pod.ApiVersion, pod.Kind, pod.Metadata.Name, pod.Status.PodIP));
    }

    [Fact]
    public void Read_OtherKinds_SkippedWithTheirLine()
    {
        const string yaml = """
            apiVersion: v1
            kind: Service
            metadata: {name: chat-epp}
            ---
            apiVersion: inference.networking.x-k8s.io/v1alpha2
            kind: InferenceModel
            metadata: {name: llama}
            """;

        var contents = ManifestReader.Read(yaml, "pools.yaml", Kinds);

        Assert.Empty(contents.Objects);
        Assert.Equal(
            [new SkippedManifest("v1", "Service", "chat-epp", 1), new SkippedManifest("inference.networking.x-k8s.io/v1alpha2", "InferenceModel", "llama", 5)],
            contents.Skipped.AsEnumerable());
    }

    [Fact]
    public void Read_EmptyDocumentsAndComments_Nothing()
    {
        var contents = ManifestReader.Read("# nothing yet\n---\n---\n", "pools.yaml", Kinds);

        Assert.Empty(contents.Objects);
        Assert.Empty(contents.Skipped);
    }

    [Fact]
    public void Read_QuotedScalars_StayStrings()
    {
        const string yaml = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: chat-0
              labels: {version: "1", enabled: 'true', empty: ""}
            """;

        var pod = Assert.IsType<V1Pod>(Assert.Single(ManifestReader.Read(yaml, "pools.yaml", Kinds).Objects).Value);

        Assert.Equal(new Dictionary<string, string> { ["version"] = "1", ["enabled"] = "true", ["empty"] = "" }, pod.Metadata.Labels);
    }

    [Fact]
    public void Read_BrokenYaml_NamesFileAndLine()
    {
        const string yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  labels: {app: chat\n";

        var error = Assert.Throws<InvalidDataException>(() => ManifestReader.Read(yaml, "/etc/pools.yaml", Kinds));

        Assert.StartsWith("/etc/pools.yaml line 5: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_WrongFieldType_NamesTheFieldsLine()
    {
        const string yaml = """
            apiVersion: v1
            kind: Pod
            metadata: {name: chat-0}
            ---
            apiVersion: inference.networking.k8s.io/v1
            kind: InferencePool
            metadata:
              name: chat-pool
            spec:
              targetPorts:
                - number: 8000
                - number: eight-thousand
            """;

        var error = Assert.Throws<InvalidDataException>(() => ManifestReader.Read(yaml, "pools.yaml", Kinds));

        Assert.Equal(
            "pools.yaml line 12: InferencePool chat-pool: spec.targetPorts[1].number: The JSON value could not be converted to System.Int32.",
            error.Message);
    }

    [Fact]
    public void Read_NumberWhereTextBelongs_NamesTheFieldsLine()
    {
        const string yaml = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: chat-0
              labels:
                app: chat
                inference.networking.k8s.io/version: 2
            """;

        var error = Assert.Throws<InvalidDataException>(() => ManifestReader.Read(yaml, "pools.yaml", Kinds));

        Assert.Equal(
            "pools.yaml line 7: Pod chat-0: metadata.labels['inference.networking.k8s.io/version']: The JSON value could not be converted to System.String.",
            error.Message);
    }

    [Fact]
    public void Read_BadTimestamp_NamesTheObjectsLine()
    {
        const string yaml = """
            apiVersion: v1
            kind: Service
            metadata: {name: other}
            ---
            apiVersion: v1
            kind: Pod
            metadata:
              name: chat-0
              deletionTimestamp: yesterday
            """;

        var error = Assert.Throws<InvalidDataException>(() => ManifestReader.Read(yaml, "pools.yaml", Kinds));

        Assert.StartsWith("pools.yaml line 5: Pod chat-0: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NoKind_NamesTheLine()
    {
        var error = Assert.Throws<InvalidDataException>(() => ManifestReader.Read("---\napiVersion: v1\nmetadata: {name: x}\n", "pools.yaml", Kinds));

        Assert.Equal("pools.yaml line 2: a manifest needs both apiVersion and kind", error.Message);
    }

    [Fact]
    public void Read_DocumentNotAMapping_NamesTheLine()
    {
        var error = Assert.Throws<InvalidDataException>(() => ManifestReader.Read("- a\n- b\n", "pools.yaml", Kinds));

        Assert.Equal("pools.yaml line 1: a manifest must be a mapping with apiVersion and kind", error.Message);
    }

    [Fact]
    public void Read_NoName_NamesTheLine()
    {
        var error = Assert.Throws<InvalidDataException>(() => ManifestReader.Read("apiVersion: v1\nkind: Pod\nmetadata: {}\n", "pools.yaml", Kinds));

        Assert.Equal("pools.yaml line 1: Pod has no metadata.name", error.Message);
    }

    [Fact]
    public void Read_DuplicateKey_NamesTheLine()
    {
        var error = Assert.Throws<InvalidDataException>(() => ManifestReader.Read("apiVersion: v1\nkind: Pod\nkind: Service\n", "pools.yaml", Kinds));

        Assert.Equal("pools.yaml line 3: Duplicate key kind", error.Message);
    }
}
