using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Suite.Host.CommandLine;
using Suite.Host.Hosting;

namespace Suite.Host.Tests.EndToEnd;

/// <summary>
/// The embedded suite on free ports over a cluster file shaped like the demo: a chat pool whose two tiny pods have a
/// batch of 2 (so a burst saturates it), a LoRA pool of two pods with a 90/10 canary, and a sheddable objective.
/// </summary>
public sealed class DemoSuiteFixture : IAsyncLifetime
{
    private string _directory = "";

    internal EmbeddedSuite Suite { get; private set; } = null!;

    public HttpClient Gateway { get; private set; } = null!;

    public int ChatPort { get; private set; }

    public int LoraPort { get; private set; }

    public async Task InitializeAsync()
    {
        _directory = Directory.CreateTempSubdirectory("suite-e2e-").FullName;
        ChatPort = FreePortOnPodAddresses();
        LoraPort = FreePortOnPodAddresses(except: ChatPort);
        var file = Path.Combine(_directory, "cluster.yaml");
        await File.WriteAllTextAsync(file, ClusterYaml(ChatPort, LoraPort));

        Suite = await EmbeddedSuite.StartAsync(SuiteHostOptions.WithFreePorts(file), CancellationToken.None);
        await Suite.WaitUntilReadyAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
        Gateway = new HttpClient { BaseAddress = Suite.GatewayAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public async Task DisposeAsync()
    {
        Gateway.Dispose();
        await Suite.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private static int FreePortOnPodAddresses(int except = 0)
    {
        while (true)
        {
            using var probe = new TcpListener(IPAddress.Parse("127.0.1.1"), 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            if (port != except)
            {
                return port;
            }
        }
    }

    private static string ClusterYaml(int chatPort, int loraPort) => string.Create(CultureInfo.InvariantCulture, $"""
        apiVersion: inference.networking.k8s.io/v1
        kind: InferencePool
        metadata:
          name: chat-pool
          annotations:
            model-sim.suite/instances: "2"
            model-sim.suite/preset: tiny
            model-sim.suite/max-num-seqs: "2"
        spec:
          selector:
            matchLabels:
              app: chat
          targetPorts:
            - number: {chatPort}
          endpointPickerRef:
            name: chat-epp
            port:
              number: 9002
        ---
        apiVersion: inference.networking.k8s.io/v1
        kind: InferencePool
        metadata:
          name: lora-pool
          annotations:
            model-sim.suite/instances: "2"
            model-sim.suite/preset: tiny
            model-sim.suite/lora-modules: sql-lora-v1=/adapters/v1,sql-lora-v2=/adapters/v2
        spec:
          selector:
            matchLabels:
              app: lora
          targetPorts:
            - number: {loraPort}
          endpointPickerRef:
            name: lora-epp
            port:
              number: 9002
        ---
        apiVersion: inference.networking.x-k8s.io/v1alpha2
        kind: InferenceModel
        metadata:
          name: chat
        spec:
          modelName: chat
          criticality: Standard
          poolRef:
            name: chat-pool
          targetModels:
            - name: sim/tiny
        ---
        apiVersion: inference.networking.x-k8s.io/v1alpha2
        kind: InferenceModel
        metadata:
          name: sql-assistant
        spec:
          modelName: sql-assistant
          criticality: Critical
          poolRef:
            name: lora-pool
          targetModels:
            - name: sql-lora-v1
              weight: 90
            - name: sql-lora-v2
              weight: 10
        ---
        apiVersion: inference.networking.x-k8s.io/v1alpha2
        kind: InferenceObjective
        metadata:
          name: batch
        spec:
          priority: -1
          poolRef:
            name: chat-pool
        """);
}
