using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Suite.Host.Tests.Hosting;

/// <summary>Cluster files for tests: small pools of tiny simulated pods on ports free on this machine.</summary>
internal static class TestClusters
{
    /// <summary>A v1 InferencePool selecting <c>app: {name}</c>, with the given annotations (YAML lines under <c>annotations:</c>).</summary>
    public static string Pool(string name, int port, params string[] annotations) => Pool(name, port, failOpen: false, annotations);

    /// <summary>The same, whose picker's failure mode is FailOpen when <paramref name="failOpen"/> (else the default, FailClose).</summary>
    public static string Pool(string name, int port, bool failOpen, params string[] annotations)
    {
        var annotationBlock = annotations.Length == 0
            ? ""
            : "\n  annotations:\n" + string.Concat(annotations.Select(line => $"    {line}\n")).TrimEnd('\n');
        return $"""
            apiVersion: inference.networking.k8s.io/v1
            kind: InferencePool
            metadata:
              name: {name}
              namespace: default{annotationBlock}
            spec:
              selector:
                matchLabels:
                  app: {name}
              targetPorts:
                - number: {port.ToString(CultureInfo.InvariantCulture)}
              endpointPickerRef:
                name: {name}-epp{(failOpen ? "\n    failureMode: FailOpen" : "")}
                port:
                  number: 9002
            """;
    }

    public static string Model(string name, string pool, string target) => $"""
        apiVersion: inference.networking.x-k8s.io/v1alpha2
        kind: InferenceModel
        metadata:
          name: {name}
          namespace: default
        spec:
          modelName: {name}
          poolRef:
            name: {pool}
          targetModels:
            - name: {target}
        """;

    public static string Join(params string[] documents) => string.Join("\n---\n", documents) + "\n";

    /// <summary>Writes the documents to a new file in a fresh temporary folder; the caller deletes the folder.</summary>
    public static string Write(params string[] documents)
    {
        var directory = Directory.CreateTempSubdirectory("suite-host-test-").FullName;
        var path = Path.Combine(directory, "cluster.yaml");
        File.WriteAllText(path, Join(documents));
        return path;
    }

    public static void Delete(string clusterFile) => Directory.Delete(Path.GetDirectoryName(clusterFile)!, recursive: true);

    /// <summary>Distinct ports free on 127.0.1.1 and 127.0.1.2, where the first two simulated pods of a pool listen.</summary>
    public static int[] FreeSimulatorPorts(int count)
    {
        var ports = new List<int>();
        while (ports.Count < count)
        {
            using var first = new TcpListener(IPAddress.Parse("127.0.1.1"), 0);
            first.Start();
            var port = ((IPEndPoint)first.LocalEndpoint).Port;
            try
            {
                using var second = new TcpListener(IPAddress.Parse("127.0.1.2"), port);
                second.Start();
                second.Stop();
            }
            catch (SocketException)
            {
                continue;
            }
            finally
            {
                first.Stop();
            }

            if (!ports.Contains(port))
            {
                ports.Add(port);
            }
        }

        return [.. ports];
    }
}
