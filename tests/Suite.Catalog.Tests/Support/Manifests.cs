namespace Suite.Catalog.Tests.Support;

/// <summary>Manifests in the shape users write them, for host tests.</summary>
internal static class Manifests
{
    public const string Pools = """
        apiVersion: inference.networking.k8s.io/v1
        kind: InferencePool
        metadata: {name: chat-pool, namespace: default}
        spec:
          selector: {matchLabels: {app: chat}}
          targetPorts: [{number: 8000}]
          endpointPickerRef: {kind: Service, name: chat-epp, port: {number: 9002}}
        ---
        apiVersion: inference.networking.x-k8s.io/v1alpha2
        kind: InferencePool
        metadata: {name: batch-pool, namespace: default}
        spec:
          selector: {app: batch}
          targetPortNumber: 8000
          extensionRef: {name: batch-epp}
        """;

    public static string Model(string name, string modelName, string pool, string created, params (string Name, int Weight)[] targets) => $"""
        apiVersion: inference.networking.x-k8s.io/v1alpha2
        kind: InferenceModel
        metadata: {"{"}name: {name}, namespace: default, creationTimestamp: "{created}"{"}"}
        spec:
          modelName: {modelName}
          criticality: Critical
          poolRef: {"{"}name: {pool}{"}"}
          targetModels:
        {string.Concat(targets.Select(t => $"    - {{name: {t.Name}, weight: {t.Weight}}}\n"))}
        """;

    public const string Rewrites = """
        apiVersion: inference.networking.x-k8s.io/v1alpha2
        kind: InferenceModelRewrite
        metadata: {name: aliases, namespace: default, creationTimestamp: "2026-11-02T00:00:00Z"}
        spec:
          poolRef: {name: chat-pool}
          rules:
            - matches: [{model: {value: gpt-4o-mini}}]
              targets: [{modelRewrite: meta-llama/Llama-3.1-8B-Instruct}]
            - targets: [{modelRewrite: qwen-7b, weight: 3}, {modelRewrite: qwen-14b, weight: 1}]
        """;

    public const string Objective = """
        apiVersion: inference.networking.x-k8s.io/v1alpha2
        kind: InferenceObjective
        metadata: {name: batch, namespace: default}
        spec: {priority: -1, poolRef: {name: chat-pool}}
        """;

    public static string Join(params string[] documents) => string.Join("\n---\n", documents);
}
