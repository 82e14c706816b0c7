using System.Text;

namespace Suite.Queue.Overload.Embedded;

/// <summary>
/// The static-mode manifests file both the collector and the catalog read: one InferencePool, a Ready pod per
/// simulated instance (127.0.1.N, one port), and the two public model names of the scenario, both served by the
/// simulator's base model and differing only in criticality.
/// </summary>
internal static class SuiteManifests
{
    public const string PoolName = "overload-pool";
    public const string CriticalModel = "chat";
    public const string SheddableModel = "batch";

    public static string Yaml(int pods, int port, string baseModel)
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
                  app: overload-sim
              targetPorts:
                - number: {port}
              endpointPickerRef:
                name: overload-picker
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
                    app: overload-sim
                status:
                  phase: Running
                  podIP: 127.0.1.{i + 1}
                  conditions:
                    - type: Ready
                      status: "True"

                """);
        }

        text.Append(Model(CriticalModel, "Critical", baseModel));
        text.Append(Model(SheddableModel, "Sheddable", baseModel));
        return text.ToString();
    }

    private static string Model(string name, string criticality, string baseModel) => $"""
        ---
        apiVersion: inference.networking.x-k8s.io/v1alpha2
        kind: InferenceModel
        metadata:
          name: {name}
          namespace: default
        spec:
          modelName: {name}
          criticality: {criticality}
          poolRef:
            name: {PoolName}
          targetModels:
            - name: {baseModel}

        """;
}
