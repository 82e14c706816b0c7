using Grpc.Health.V1;
using Grpc.Net.Client;
using Suite.Host.CommandLine;
using Suite.Host.Hosting;

namespace Suite.Host.Tests.Hosting;

/// <summary>
/// A real embedded suite for tests: two pools ("chat", "lora") of one tiny simulated pod each, every other port
/// chosen by the system, started and awaited until ready.
/// </summary>
public sealed class RunningSuite : IAsyncLifetime
{
    public static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(15);

    private string _cluster = "";
    private EmbeddedSuite? _suite;

    internal EmbeddedSuite Suite => _suite ?? throw new InvalidOperationException("not started");

    internal int[] PodPorts { get; private set; } = [];

    public async Task InitializeAsync()
    {
        (_cluster, PodPorts) = WriteCluster();
        _suite = await EmbeddedSuite.StartAsync(Options(_cluster), CancellationToken.None);
        await _suite.WaitUntilReadyAsync(ReadyTimeout, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (_suite is not null)
        {
            await _suite.DisposeAsync();
        }

        TestClusters.Delete(_cluster);
    }

    /// <summary>The two-pool cluster file on free pod ports, and those ports.</summary>
    internal static (string Cluster, int[] PodPorts) WriteCluster()
    {
        var ports = TestClusters.FreeSimulatorPorts(2);
        var cluster = TestClusters.Write(
            TestClusters.Pool("chat", ports[0]),
            TestClusters.Model("chat-model", "chat", "sim/tiny"),
            TestClusters.Pool("lora", ports[1]),
            TestClusters.Model("lora-model", "lora", "sim/tiny"));
        return (cluster, ports);
    }

    internal static SuiteHostOptions Options(string cluster) => SuiteHostOptions.WithFreePorts(cluster) with { Simulators = 1 };

    internal static async Task<HealthCheckResponse.Types.ServingStatus> HealthAsync(EmbeddedSuite suite, string service)
    {
        using var channel = GrpcChannel.ForAddress(suite.HealthAddress);
        var response = await new Grpc.Health.V1.Health.HealthClient(channel).CheckAsync(new HealthCheckRequest { Service = service });
        return response.Status;
    }

    /// <summary>Polls until <paramref name="condition"/> holds, failing after a deadline instead of sleeping a guessed time.</summary>
    internal static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + ReadyTimeout;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"still not {what} after {ReadyTimeout.TotalSeconds} s");
            await Task.Delay(20);
        }
    }
}
