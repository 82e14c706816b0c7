using System.Text;

namespace Suite.Routing.Quality.Embedded;

/// <summary>
/// The static-mode manifests file both the collector and the catalog read: one InferencePool, a Ready pod per
/// simulated instance (127.0.1.N, one port), and two InferenceObjectives the mixed-priority workload names in
/// <c>x-gateway-inference-objective</c>. Models are not declared: the picker passes unknown names (the base model,
/// each adapter) through unchanged, so the pod sees exactly what the client asked for.
/// </summary>
internal static class SuiteManifests
{
    public const string PoolName = "routing-pool";

    public static string Yaml(int pods, int port, string criticalObjective, string sheddableObjective)
    {
        var text = new StringBuilder($"""
            apiVersion: inference.networking.k8s.io/v1
            kind: InferencePool
            metadata:
              name: {PoolName}
              namespace: default
            spec:
              selector:
                matchLabels:
                  app: routing-sim
              targetPorts:
                - number: {port}
              endpointPickerRef:
                name: routing-picker
                port:
                  number: 9002

            """);
        for (var i = 0; i < pods; i++)
        {
            text.Append($"""
                ---
                apiVersion: v1
                kind: Pod
                metadata:
                  name: sim-{i}
                  namespace: default
                  labels:
                    app: routing-sim
                status:
                  phase: Running
                  podIP: 127.0.1.{i + 1}
                  conditions:
                    - type: Ready
                      status: "True"

                """);
        }

        text.Append(Objective(criticalObjective, 10));
        text.Append(Objective(sheddableObjective, -1));
        return text.ToString();
    }

    private static string Objective(string name, int priority) => $"""
        ---
        apiVersion: inference.networking.x-k8s.io/v1alpha2
        kind: InferenceObjective
        metadata:
          name: {name}
          namespace: default
        spec:
          priority: {priority}
          poolRef:
            name: {PoolName}

        """;
}
