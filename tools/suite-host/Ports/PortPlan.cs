using System.Net;
using Suite.Host.Cluster;
using Suite.Host.CommandLine;
using Suite.Host.Simulation;

namespace Suite.Host.Ports;

/// <summary>
/// Every fixed port of the suite (ports given as 0 are chosen later and are not listed): the gateway, each pool's
/// ext_proc port, health, queue, metrics and each simulated pod's address and port. The services listen on every
/// interface as in production, so their ports collide with any other use of the same port.
/// </summary>
internal sealed class PortPlan
{
    private PortPlan(SuiteHostOptions options, IReadOnlyList<PlannedPort> ports)
    {
        Options = options;
        Ports = ports;
    }

    public SuiteHostOptions Options { get; }

    public IReadOnlyList<PlannedPort> Ports { get; }

    /// <summary>Pool <paramref name="index"/>'s ext_proc port; 0 when the system picks it.</summary>
    public int ExtProcPortOf(int index) =>
        Options.ExtProcPort == 0 ? 0 : Options.ExtProcPort + (SuiteHostOptions.ExtProcPortStride * index);

    /// <exception cref="SuiteConfigurationException">A derived port is out of range, or two uses share a port.</exception>
    public static PortPlan Create(SuiteHostOptions options, ClusterFile cluster, IReadOnlyList<PoolSimulation> simulations)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(simulations);
        var ports = new List<PlannedPort>();
        void Add(int port, IPAddress address, string purpose, string remedy)
        {
            if (port != 0)
            {
                ports.Add(new PlannedPort(port, address, purpose, remedy));
            }
        }

        Add(options.GatewayPort, IPAddress.Parse(options.Address), "local gateway", "choose another with --gateway-port");
        var plan = new PortPlan(options, ports);
        foreach (var pool in cluster.Pools)
        {
            var port = plan.ExtProcPortOf(pool.Index);
            if (port > IPEndPoint.MaxPort)
            {
                throw new SuiteConfigurationException(
                    $"--extproc-port {options.ExtProcPort}: pool {pool.Name}, number {pool.Index + 1} in the file, would get port {port}, beyond 65535; choose a lower base.");
            }

            Add(port, IPAddress.Any, $"ext_proc picker of pool {pool.Name}", "choose another base with --extproc-port");
        }

        Add(options.HealthPort, IPAddress.Any, "gRPC health server", "choose another with --health-port");
        Add(options.QueuePort, IPAddress.Any, "queue", "choose another with --queue-port");
        Add(options.MetricsPort, IPAddress.Any, "Prometheus metrics endpoint", "choose another with --metrics-port");
        CheckSimulatorPorts(simulations);
        foreach (var simulation in simulations)
        {
            for (var i = 0; i < simulation.Instances; i++)
            {
                Add(simulation.Port, IPAddress.Parse(PoolSimulation.PodIp(i)), $"simulated pods of pool {simulation.Pool.Name}",
                    $"change the pool's targetPorts in {cluster.Path}");
            }
        }

        for (var i = 0; i < ports.Count; i++)
        {
            for (var j = i + 1; j < ports.Count; j++)
            {
                if (ports[i].Collides(ports[j]))
                {
                    throw new SuiteConfigurationException(
                        $"{ports[j].Describe()} is wanted twice: by the {ports[i].Purpose} and by the {ports[j].Purpose}; {ports[j].Remedy}.");
                }
            }
        }

        return plan;
    }

    /// <summary>Simulated pods of every pool share the addresses 127.0.1.x, so each pool needs a port of its own.</summary>
    private static void CheckSimulatorPorts(IReadOnlyList<PoolSimulation> simulations)
    {
        for (var i = 0; i < simulations.Count; i++)
        {
            for (var j = i + 1; j < simulations.Count; j++)
            {
                if (simulations[i].Port == simulations[j].Port)
                {
                    throw new SuiteConfigurationException(
                        $"--cluster-file: InferencePools {simulations[i].Pool.Name} and {simulations[j].Pool.Name} both have target port {simulations[i].Port}; "
                        + "simulated pods of every pool share the addresses 127.0.1.x, so give each pool its own port (or run with --simulators 0).");
                }
            }
        }
    }
}
