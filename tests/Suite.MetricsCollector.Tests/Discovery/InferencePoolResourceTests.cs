using System.Reflection;
using System.Text.Json;
using k8s;
using k8s.Models;
using Suite.Kubernetes.Resources;

namespace Suite.MetricsCollector.Tests.Discovery;

public sealed class InferencePoolResourceTests
{
    private const string V1Yaml = """
        apiVersion: inference.networking.k8s.io/v1
        kind: InferencePool
        metadata:
          name: chat-pool
          namespace: team-a
        spec:
          selector:
            matchLabels:
              app: chat
              tier: gpu
          targetPorts:
            - number: 8000
            - number: 8001
          appProtocol: kubernetes.io/h2c
          endpointPickerRef:
            group: ""
            kind: Service
            name: chat-epp
            port:
              number: 9002
            failureMode: FailOpen
        status:
          parents:
            - conditions:
                - type: Accepted
                  status: "True"
                  reason: Accepted
                  lastTransitionTime: "2025-05-01T10:00:00Z"
                - type: ResolvedRefs
                  status: "False"
                  reason: InvalidExtensionRef
                  lastTransitionTime: "2025-05-01T10:00:00Z"
        """;

    private const string V1Alpha2Yaml = """
        apiVersion: inference.networking.x-k8s.io/v1alpha2
        kind: InferencePool
        metadata:
          name: legacy-pool
          namespace: team-b
        spec:
          selector:
            app: qwen
          targetPortNumber: 30000
          extensionRef:
            name: legacy-epp
            portNumber: 9003
            failureMode: FailClose
        """;

    [Fact]
    public void V1_FromYaml_EveryFieldRead()
    {
        var pool = KubernetesYaml.Deserialize<V1InferencePool>(V1Yaml);

        Assert.Equal(("inference.networking.k8s.io/v1", "InferencePool"), (pool.ApiVersion, pool.Kind));
        Assert.Equal(("chat-pool", "team-a"), (pool.Metadata.Name, pool.Metadata.NamespaceProperty));
        var spec = Assert.IsType<V1InferencePoolSpec>(pool.Spec);
        Assert.Equal(new Dictionary<string, string> { ["app"] = "chat", ["tier"] = "gpu" }, spec.Selector?.MatchLabels);
        Assert.Equal([8000, 8001], spec.TargetPorts!.Select(port => port.Number));
        Assert.Equal("kubernetes.io/h2c", spec.AppProtocol);
        var picker = Assert.IsType<V1EndpointPickerRef>(spec.EndpointPickerRef);
        Assert.Equal(("", "Service", "chat-epp", 9002, "FailOpen"), (picker.Group, picker.Kind, picker.Name, picker.Port?.Number, picker.FailureMode));
        var conditions = Assert.Single(pool.Status!.Parents!).Conditions!;
        Assert.Equal(
            [("Accepted", "True", "Accepted"), ("ResolvedRefs", "False", "InvalidExtensionRef")],
            conditions.Select(condition => (condition.Type, condition.Status, condition.Reason)));
        Assert.Equal(new DateTime(2025, 5, 1, 10, 0, 0, DateTimeKind.Utc), conditions[0].LastTransitionTime);
    }

    [Fact]
    public void V1Alpha2_FromYaml_EveryFieldRead()
    {
        var pool = KubernetesYaml.Deserialize<V1Alpha2InferencePool>(V1Alpha2Yaml);

        Assert.Equal(("inference.networking.x-k8s.io/v1alpha2", "InferencePool"), (pool.ApiVersion, pool.Kind));
        Assert.Equal(("legacy-pool", "team-b"), (pool.Metadata.Name, pool.Metadata.NamespaceProperty));
        var spec = Assert.IsType<V1Alpha2InferencePoolSpec>(pool.Spec);
        Assert.Equal(new Dictionary<string, string> { ["app"] = "qwen" }, spec.Selector);
        Assert.Equal(30000, spec.TargetPortNumber);
        Assert.Equal(("legacy-epp", 9003, "FailClose"), (spec.ExtensionRef?.Name, spec.ExtensionRef?.PortNumber, spec.ExtensionRef?.FailureMode));
    }

    [Fact]
    public void BothVersions_FromOneYamlStream_WithATypeMap()
    {
        var typeMap = new Dictionary<string, Type>
        {
            ["inference.networking.k8s.io/v1/InferencePool"] = typeof(V1InferencePool),
            ["inference.networking.x-k8s.io/v1alpha2/InferencePool"] = typeof(V1Alpha2InferencePool),
        };

        var objects = KubernetesYaml.LoadAllFromString($"{V1Yaml}\n---\n{V1Alpha2Yaml}", typeMap);

        Assert.Equal("chat-pool", Assert.IsType<V1InferencePool>(objects[0]).Metadata.Name);
        Assert.Equal("legacy-pool", Assert.IsType<V1Alpha2InferencePool>(objects[1]).Metadata.Name);
    }

    [Fact]
    public void V1_FromApiJson_CamelCaseNames()
    {
        const string json = """
            {"apiVersion":"inference.networking.k8s.io/v1","kind":"InferencePool","metadata":{"name":"chat-pool"},
             "spec":{"selector":{"matchLabels":{"app":"chat"}},"targetPorts":[{"number":8000}],"appProtocol":"http",
                     "endpointPickerRef":{"name":"chat-epp","port":{"number":9002},"failureMode":"FailOpen"}}}
            """;

        var plain = JsonSerializer.Deserialize<V1InferencePool>(json)!;
        var kubernetes = KubernetesJson.Deserialize<V1InferencePool>(json);

        foreach (var pool in new[] { plain, kubernetes })
        {
            var view = pool.ToView();
            Assert.Equal(("default", "chat-pool", true), (view.Namespace, view.Name, view.FailOpen));
            Assert.Equal(new Dictionary<string, string> { ["app"] = "chat" }, view.Selector);
            Assert.Equal([8000], view.TargetPorts.AsEnumerable());
            Assert.Equal(("http", 9002), (pool.Spec!.AppProtocol, pool.Spec.EndpointPickerRef!.Port!.Number));
        }
    }

    [Fact]
    public void V1Alpha2_FromApiJson_CamelCaseNames()
    {
        const string json = """
            {"apiVersion":"inference.networking.x-k8s.io/v1alpha2","kind":"InferencePool","metadata":{"name":"legacy-pool","namespace":"team-b"},
             "spec":{"selector":{"app":"qwen"},"targetPortNumber":30000,"extensionRef":{"name":"legacy-epp"}}}
            """;

        var pool = KubernetesJson.Deserialize<V1Alpha2InferencePool>(json);

        Assert.Equal(("team-b", "legacy-pool", 30000, "legacy-epp"), (pool.Metadata.NamespaceProperty, pool.Metadata.Name, pool.Spec!.TargetPortNumber, pool.Spec.ExtensionRef!.Name));
        Assert.Null(pool.Spec.ExtensionRef.PortNumber);
    }

    [Fact]
    public void V1_Serialized_UsesKubernetesFieldNames()
    {
        var pool = new V1InferencePool
        {
            Metadata = new V1ObjectMeta { Name = "chat-pool" },
            Spec = new V1InferencePoolSpec { TargetPorts = [new V1InferencePoolPort { Number = 8000 }] },
        };

        var json = KubernetesJson.Serialize(pool);

        Assert.Equal(
            """{"apiVersion":"inference.networking.k8s.io/v1","kind":"InferencePool","metadata":{"name":"chat-pool"},"spec":{"targetPorts":[{"number":8000}]}}""",
            json);
    }

    [Theory]
    [InlineData(typeof(V1InferencePool), "inference.networking.k8s.io", "v1")]
    [InlineData(typeof(V1Alpha2InferencePool), "inference.networking.x-k8s.io", "v1alpha2")]
    public void KubernetesEntity_NamesGroupVersionKindAndPlural(Type type, string group, string version)
    {
        var entity = type.GetCustomAttribute<KubernetesEntityAttribute>()!;

        Assert.Equal((group, version, "InferencePool", "inferencepools"), (entity.Group, entity.ApiVersion, entity.Kind, entity.PluralName));
    }

    [Fact]
    public void ToView_V1_NormalisedShape()
    {
        var view = KubernetesYaml.Deserialize<V1InferencePool>(V1Yaml).ToView();

        Assert.Equal(("inference.networking.k8s.io/v1", "team-a", "chat-pool", true, false), (view.ApiVersion, view.Namespace, view.Name, view.FailOpen, view.IsLegacy));
        Assert.Equal(new Dictionary<string, string> { ["app"] = "chat", ["tier"] = "gpu" }, view.Selector);
        Assert.Equal([8000, 8001], view.TargetPorts.AsEnumerable());
    }

    [Fact]
    public void ToView_V1Alpha2_NormalisedShape()
    {
        var view = KubernetesYaml.Deserialize<V1Alpha2InferencePool>(V1Alpha2Yaml).ToView();

        Assert.Equal(("inference.networking.x-k8s.io/v1alpha2", "team-b", "legacy-pool", false, true), (view.ApiVersion, view.Namespace, view.Name, view.FailOpen, view.IsLegacy));
        Assert.Equal(new Dictionary<string, string> { ["app"] = "qwen" }, view.Selector);
        Assert.Equal([30000], view.TargetPorts.AsEnumerable());
    }

    [Fact]
    public void ToView_NoNamespaceNoSpec_DefaultNamespaceAndNothingToMatch()
    {
        var view = new V1InferencePool { Metadata = new V1ObjectMeta { Name = "bare" } }.ToView();

        Assert.Equal(("default", "bare", false), (view.Namespace, view.Name, view.FailOpen));
        Assert.Empty(view.Selector);
        Assert.Empty(view.TargetPorts.AsEnumerable());
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("FailClose", false)]
    [InlineData("FailOpen", true)]
    [InlineData("failopen", false)]
    [InlineData("Open", false)]
    public void ToView_V1FailureMode_OnlyFailOpenOpens(string? failureMode, bool failOpen)
    {
        var pool = new V1InferencePool
        {
            Metadata = new V1ObjectMeta { Name = "chat" },
            Spec = new V1InferencePoolSpec { EndpointPickerRef = new V1EndpointPickerRef { Name = "epp", FailureMode = failureMode } },
        };

        Assert.Equal(failOpen, pool.ToView().FailOpen);
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("FailClose", false)]
    [InlineData("FailOpen", true)]
    public void ToView_V1Alpha2FailureMode_OnlyFailOpenOpens(string? failureMode, bool failOpen)
    {
        var pool = new V1Alpha2InferencePool
        {
            Metadata = new V1ObjectMeta { Name = "chat" },
            Spec = new V1Alpha2InferencePoolSpec { ExtensionRef = new V1Alpha2ExtensionRef { Name = "epp", FailureMode = failureMode } },
        };

        Assert.Equal(failOpen, pool.ToView().FailOpen);
    }

    [Fact]
    public void ToView_NoPickerRef_FailsClosed()
    {
        Assert.False(new V1InferencePool { Spec = new V1InferencePoolSpec() }.ToView().FailOpen);
        Assert.False(new V1Alpha2InferencePool { Spec = new V1Alpha2InferencePoolSpec() }.ToView().FailOpen);
    }
}
