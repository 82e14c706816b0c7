using System.Net;
using System.Net.Sockets;
using Suite.Host.CommandLine;
using Suite.Host.Health;
using Suite.Host.Hosting;
using Suite.Host.Ports;

namespace Suite.Host.Tests.Hosting;

/// <summary>A port someone else holds stops the suite with one line naming the port, what it is for and the flag to change.</summary>
public sealed class BusyPortTests
{
    [Fact]
    public async Task StartAsync_GatewayPortTaken_NamesThePortAndTheFlagBeforeStartingAnything()
    {
        using var other = Listen(IPAddress.Loopback);
        var port = ((IPEndPoint)other.LocalEndpoint).Port;
        var podPort = TestClusters.FreeSimulatorPorts(1)[0];
        var cluster = TestClusters.Write(TestClusters.Pool("p", podPort));
        try
        {
            var options = SuiteHostOptions.WithFreePorts(cluster) with { GatewayPort = port, Simulators = 1 };

            var error = await Assert.ThrowsAsync<SuiteStartException>(() => EmbeddedSuite.StartAsync(options, CancellationToken.None));

            Assert.Equal($"port {port} (local gateway) is already in use — is another suite running? choose another with --gateway-port", error.Message);
            using var pod = Listen(IPAddress.Parse("127.0.1.1"), podPort); // no simulated pod was started
        }
        finally
        {
            TestClusters.Delete(cluster);
        }
    }

    [Fact]
    public void EnsureFree_PodAddressTaken_NamesAddressPoolAndFile()
    {
        using var other = Listen(IPAddress.Parse("127.0.1.2"));
        var port = ((IPEndPoint)other.LocalEndpoint).Port;
        var planned = new PlannedPort(port, IPAddress.Parse("127.0.1.2"), "simulated pods of pool lora", "change the pool's targetPorts in c.yaml");

        var error = Assert.Throws<SuiteStartException>(() => PortProbe.EnsureFree([planned]));

        Assert.Equal(
            $"port {port} on 127.0.1.2 (simulated pods of pool lora) is already in use — is another suite running? change the pool's targetPorts in c.yaml",
            error.Message);
    }

    [Fact]
    public async Task StartAsync_PortTakenAfterTheProbe_NamesTheListenerAndItsAddress()
    {
        using var other = Listen(IPAddress.Any);
        var port = ((IPEndPoint)other.LocalEndpoint).Port;
        var directory = Directory.CreateTempSubdirectory("suite-host-busy-").FullName;
        try
        {
            var error = await Assert.ThrowsAsync<SuiteStartException>(() => HealthEndpoint.StartAsync(directory, port, new SuiteReadiness()));

            Assert.StartsWith($"the gRPC health server (port {port}) cannot listen: Failed to bind to address http://0.0.0.0:{port}", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static TcpListener Listen(IPAddress address, int port = 0)
    {
        var listener = new TcpListener(address, port);
        listener.Start();
        return listener;
    }
}
