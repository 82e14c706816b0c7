using System.Net;
using System.Net.Sockets;

namespace Suite.LocalGateway.Tests.Infrastructure;

internal static class FreePorts
{
    /// <summary>A port nothing listens on right now (the probe is closed again).</summary>
    public static int Next()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
