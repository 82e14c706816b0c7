using System.Net;
using System.Net.Sockets;

namespace Suite.Host.Ports;

/// <summary>Checks, before anything starts, that every fixed port can be bound, so a clash is reported as one clear line.</summary>
internal static class PortProbe
{
    /// <exception cref="SuiteStartException">A port is in use, or an address is not local.</exception>
    public static void EnsureFree(IEnumerable<PlannedPort> ports)
    {
        ArgumentNullException.ThrowIfNull(ports);
        foreach (var port in ports)
        {
            var probe = new TcpListener(port.Address, port.Port);
            try
            {
                probe.Start();
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse || e.SocketErrorCode == SocketError.AccessDenied)
            {
                throw InUse(port, e);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressNotAvailable)
            {
                throw new SuiteStartException(
                    $"{port.Address} is not an address of this machine, so the {port.Purpose} cannot listen on it"
                    + " (on macOS add loopback aliases: sudo ifconfig lo0 alias 127.0.1.N up), or run with --simulators 0.", e);
            }
            finally
            {
                probe.Stop();
            }
        }
    }

    public static SuiteStartException InUse(PlannedPort port, Exception? cause = null)
    {
        ArgumentNullException.ThrowIfNull(port);
        return new SuiteStartException($"{port.Describe()} ({port.Purpose}) is already in use — is another suite running? {port.Remedy}", cause);
    }

    /// <summary>Distinct free ports on every interface: every probe stays open until all are chosen, so none is chosen twice.</summary>
    public static int[] FreePorts(int count)
    {
        var probes = new List<TcpListener>(count);
        try
        {
            for (var i = 0; i < count; i++)
            {
                var probe = new TcpListener(IPAddress.Any, 0);
                probes.Add(probe);
                probe.Start();
            }

            return [.. probes.Select(probe => ((IPEndPoint)probe.LocalEndpoint).Port)];
        }
        finally
        {
            foreach (var probe in probes)
            {
                probe.Stop();
            }
        }
    }
}
