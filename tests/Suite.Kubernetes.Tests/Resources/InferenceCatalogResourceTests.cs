using k8s;
using Suite.Kubernetes.Resources;

namespace Suite.Kubernetes.Tests.Resources;

public sealed class InferenceCatalogResourceTests
{
    private const string ModelYaml = """
        apiVersion: inference.networking.x-k8s.io/v1alpha2
        kind: InferenceModel
        metadata:
          name: chat-model
          namespace: team-a
        spec:
          modelName: llama-3-8b-chat
          criticality: Sheddable
          targetModels:
            - name: llama-3-8b-chat-lora-v1
              weight: 90
            - name: llama-3-8b-chat-lora-v2
              weight: 10
          poolRef:
            group: inference.networking.x-k8s.io
            kind: InferencePool
            name: chat-pool
        status:
          conditions:
            - type: Ready
              status: "True"
              reason: Accepted
              message: model is served by chat-pool
              lastTransitionTime: "2025-05-01T10:00:00Z"
              observedGeneration: 3
        """;

    private const string ObjectiveYaml = """
        apiVersion: inference.networking.x-k8s.io/v1alpha2
        kind: InferenceObjective
        metadata:
          name: batch
          namespace: team-b
        spec:
          priority: -5
          poolRef:
            name: batch-pool
        status:
          conditions:
            - type: Accepted
              status: "False"
              reason: PoolNotFound
              message: no pool named batch-pool
              lastTransitionTime: "2025-06-02T08:30:00Z"
              observedGeneration: 1
        """;

    private const string RewriteYaml = """
        apiVersion: inference.networking.x-k8s.io/v1alpha2
        kind: InferenceModelRewrite
        metadata:
          name: canary
          namespace: team-c
        spec:
          poolRef:
            name: chat-pool
          rules:
            - matches:
                - model:
                    type: Exact
                    value: gpt-small
              targets:
                - modelRewrite: qwen-7b
                  weight: 75
                - modelRewrite: qwen-7b-canary
                  weight: 25
            - targets:
                - modelRewrite: qwen-1.5b
        """;

    [Fact]
    public void InferenceModel_FromYaml_EveryFieldRead()
    {
        var model = KubernetesYaml.Deserialize<InferenceModel>(ModelYaml);

        Assert.Equal(("inference.networking.x-k8s.io/v1alpha2", "InferenceModel"), (model.ApiVersion, model.Kind));
        Assert.Equal(("chat-model", "team-a"), (model.Metadata.Name, model.Metadata.NamespaceProperty));
        var spec = Assert.IsType<InferenceModelSpec>(model.Spec);
        Assert.Equal(("llama-3-8b-chat", "Sheddable"), (spec.ModelName, spec.Criticality));
        Assert.Equal(
            [("llama-3-8b-chat-lora-v1", (int?)90), ("llama-3-8b-chat-lora-v2", 10)],
            spec.TargetModels!.Select(target => (target.Name, target.Weight)));
        Assert.Equal(("inference.networking.x-k8s.io", "InferencePool", "chat-pool"), (spec.PoolRef?.Group, spec.PoolRef?.Kind, spec.PoolRef?.Name));
        var condition = Assert.Single(model.Status!.Conditions!);
        Assert.Equal(("Ready", "True", "Accepted", "model is served by chat-pool", 3L), (condition.Type, condition.Status, condition.Reason, condition.Message, condition.ObservedGeneration));
        Assert.Equal(new DateTime(2025, 5, 1, 10, 0, 0, DateTimeKind.Utc), condition.LastTransitionTime);
    }

    [Fact]
    public void InferenceModel_FromJson_EveryFieldRead()
    {
        const string json = """
            {"apiVersion":"inference.networking.x-k8s.io/v1alpha2","kind":"InferenceModel",
             "metadata":{"name":"embed","namespace":"team-a"},
             "spec":{"modelName":"bge-m3","targetModels":[{"name":"bge-m3-a"},{"name":"bge-m3-b"}],"poolRef":{"name":"embed-pool"}}}
            """;

        var model = KubernetesJson.Deserialize<InferenceModel>(json);

        Assert.Equal(("embed", "team-a"), (model.Metadata.Name, model.Metadata.NamespaceProperty));
        var spec = Assert.IsType<InferenceModelSpec>(model.Spec);
        Assert.Equal("bge-m3", spec.ModelName);
        Assert.Null(spec.Criticality);
        Assert.Equal([("bge-m3-a", (int?)null), ("bge-m3-b", null)], spec.TargetModels!.Select(target => (target.Name, target.Weight)));
        Assert.Equal(((string?)null, (string?)null, "embed-pool"), (spec.PoolRef?.Group, spec.PoolRef?.Kind, spec.PoolRef?.Name));
        Assert.Null(model.Status);
    }

    [Fact]
    public void InferenceObjective_FromYaml_EveryFieldRead()
    {
        var objective = KubernetesYaml.Deserialize<InferenceObjective>(ObjectiveYaml);

        Assert.Equal(("inference.networking.x-k8s.io/v1alpha2", "InferenceObjective"), (objective.ApiVersion, objective.Kind));
        Assert.Equal(("batch", "team-b"), (objective.Metadata.Name, objective.Metadata.NamespaceProperty));
        Assert.Equal(-5, objective.Spec?.Priority);
        Assert.Equal("batch-pool", objective.Spec?.PoolRef?.Name);
        var condition = Assert.Single(objective.Status!.Conditions!);
        Assert.Equal(("Accepted", "False", "PoolNotFound", "no pool named batch-pool", 1L), (condition.Type, condition.Status, condition.Reason, condition.Message, condition.ObservedGeneration));
        Assert.Equal(new DateTime(2025, 6, 2, 8, 30, 0, DateTimeKind.Utc), condition.LastTransitionTime);
    }

    [Fact]
    public void InferenceObjective_FromJsonWithoutPriority_PriorityIsNull()
    {
        const string json = """
            {"apiVersion":"inference.networking.x-k8s.io/v1alpha2","kind":"InferenceObjective",
             "metadata":{"name":"interactive","namespace":"team-b"},
             "spec":{"poolRef":{"group":"inference.networking.k8s.io","kind":"InferencePool","name":"chat-pool"}}}
            """;

        var objective = KubernetesJson.Deserialize<InferenceObjective>(json);

        Assert.Equal(("interactive", "team-b"), (objective.Metadata.Name, objective.Metadata.NamespaceProperty));
        Assert.Null(objective.Spec?.Priority);
        var poolRef = objective.Spec?.PoolRef;
        Assert.Equal(("inference.networking.k8s.io", "InferencePool", "chat-pool"), (poolRef?.Group, poolRef?.Kind, poolRef?.Name));
    }

    [Fact]
    public void InferenceModelRewrite_FromYaml_EveryFieldRead()
    {
        var rewrite = KubernetesYaml.Deserialize<InferenceModelRewrite>(RewriteYaml);

        Assert.Equal(("inference.networking.x-k8s.io/v1alpha2", "InferenceModelRewrite"), (rewrite.ApiVersion, rewrite.Kind));
        Assert.Equal(("canary", "team-c"), (rewrite.Metadata.Name, rewrite.Metadata.NamespaceProperty));
        var spec = Assert.IsType<InferenceModelRewriteSpec>(rewrite.Spec);
        Assert.Equal("chat-pool", spec.PoolRef?.Name);
        Assert.Equal(2, spec.Rules!.Count);
        var match = Assert.Single(spec.Rules[0].Matches!).Model;
        Assert.Equal(("Exact", "gpt-small"), (match?.Type, match?.Value));
        Assert.Equal([("qwen-7b", (int?)75), ("qwen-7b-canary", 25)], spec.Rules[0].Targets!.Select(target => (target.ModelRewrite, target.Weight)));
        Assert.Null(spec.Rules[1].Matches);
        var fallback = Assert.Single(spec.Rules[1].Targets!);
        Assert.Equal(("qwen-1.5b", (int?)null), (fallback.ModelRewrite, fallback.Weight));
    }

    [Fact]
    public void InferenceModelRewrite_FromJson_EveryFieldRead()
    {
        const string json = """
            {"apiVersion":"inference.networking.x-k8s.io/v1alpha2","kind":"InferenceModelRewrite",
             "metadata":{"name":"alias","namespace":"team-c"},
             "spec":{"poolRef":{"name":"chat-pool"},
                     "rules":[{"matches":[{"model":{"type":"Exact","value":"chat"}}],"targets":[{"modelRewrite":"llama-3-8b","weight":1}]}]},
             "status":{"conditions":[{"type":"Accepted","status":"True","reason":"Accepted","message":"","lastTransitionTime":"2025-07-03T12:00:00Z","observedGeneration":2}]}}
            """;

        var rewrite = KubernetesJson.Deserialize<InferenceModelRewrite>(json);

        Assert.Equal(("alias", "team-c"), (rewrite.Metadata.Name, rewrite.Metadata.NamespaceProperty));
        var rule = Assert.Single(rewrite.Spec!.Rules!);
        var match = Assert.Single(rule.Matches!).Model;
        Assert.Equal(("Exact", "chat"), (match?.Type, match?.Value));
        var target = Assert.Single(rule.Targets!);
        Assert.Equal(("llama-3-8b", (int?)1), (target.ModelRewrite, target.Weight));
        var condition = Assert.Single(rewrite.Status!.Conditions!);
        Assert.Equal(("Accepted", "True", 2L), (condition.Type, condition.Status, condition.ObservedGeneration));
        Assert.Equal(new DateTime(2025, 7, 3, 12, 0, 0, DateTimeKind.Utc), condition.LastTransitionTime);
    }

    [Fact]
    public void Kinds_NewObject_ApiVersionAndKindPreset()
    {
        Assert.Equal(("inference.networking.x-k8s.io/v1alpha2", "InferenceModel"), (new InferenceModel().ApiVersion, new InferenceModel().Kind));
        Assert.Equal(("inference.networking.x-k8s.io/v1alpha2", "InferenceObjective"), (new InferenceObjective().ApiVersion, new InferenceObjective().Kind));
        Assert.Equal(("inference.networking.x-k8s.io/v1alpha2", "InferenceModelRewrite"), (new InferenceModelRewrite().ApiVersion, new InferenceModelRewrite().Kind));
    }

    [Fact]
    public void InferenceModel_SerializedToJson_UsesKubernetesFieldNames()
    {
        var model = new InferenceModel
        {
            Metadata = new() { Name = "m", NamespaceProperty = "ns" },
            Spec = new() { ModelName = "chat", TargetModels = [new() { Name = "a", Weight = 5 }], PoolRef = new() { Name = "pool" } },
        };

        var json = KubernetesJson.Serialize(model);

        Assert.Contains("\"modelName\":\"chat\"", json, StringComparison.Ordinal);
        Assert.Contains("\"targetModels\":[{\"name\":\"a\",\"weight\":5}]", json, StringComparison.Ordinal);
        Assert.Contains("\"poolRef\":{\"name\":\"pool\"}", json, StringComparison.Ordinal);
    }
}
