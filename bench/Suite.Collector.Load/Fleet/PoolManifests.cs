using System.Text;

namespace Suite.Collector.Load.Fleet;

/// <summary>
/// The manifests file the collector's static discovery reads: one InferencePool selecting <c>app=sim</c> on the
/// fleet's port, and one Running, Ready pod per simulator instance at 127.0.1.(i+1), where model-sim's
/// <c>--loopback-addresses</c> puts instance <c>i</c>.
/// </summary>
internal static class PoolManifests
{
    public const string DefaultPool = "sim-pool";

    public static string Address(int instance, int port) => $"127.0.1.{instance + 1}:{port}";

    public static string Yaml(string pool, int pods, int port)
    {
        if (pods is < 1 or > 250)
        {
            throw new ArgumentOutOfRangeException(nameof(pods), pods, "127.0.1.1-127.0.1.250 holds at most 250 pods");
        }

        var yaml = new StringBuilder();
        yaml.Append($"""
            apiVersion: inference.networking.k8s.io/v1
            kind: InferencePool
            metadata:
              name: {pool}
              namespace: default
            spec:
              selector:
                matchLabels:
                  app: sim
              targetPorts:
                - number: {port}
              endpointPickerRef:
                name: {pool}-epp
                port:
                  number: 9002

            """);
        for (var i = 0; i < pods; i++)
        {
            yaml.Append($"""
                ---
                apiVersion: v1
                kind: Pod
                metadata:
                  name: sim-{i}
                  namespace: default
                  labels:
                    app: sim
                status:
                  phase: Running
                  podIP: 127.0.1.{i + 1}
                  conditions:
                    - type: Ready
                      status: "True"

                """);
        }

        return yaml.ToString();
    }
}
