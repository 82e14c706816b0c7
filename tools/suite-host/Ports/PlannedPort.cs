using System.Net;

namespace Suite.Host.Ports;

/// <summary>A fixed port the suite will listen on, what for, and how the user picks another.</summary>
/// <param name="Address">The address it is bound to; <see cref="IPAddress.Any"/> for services that listen on every interface.</param>
/// <param name="Purpose">What listens there, e.g. "local gateway" or "ext_proc of pool chat-pool".</param>
/// <param name="Remedy">How to choose another, e.g. "choose another with --gateway-port".</param>
internal sealed record PlannedPort(int Port, IPAddress Address, string Purpose, string Remedy)
{
    /// <summary>Whether the two cannot both be bound: the same port on the same or an overlapping address.</summary>
    public bool Collides(PlannedPort other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Port == other.Port && (Address.Equals(other.Address) || IsAny(Address) || IsAny(other.Address));
    }

    /// <summary>"port 8000" for the wildcard and the gateway's usual address, "port 8000 on 127.0.1.2" for the others.</summary>
    public string Describe() => IsAny(Address) || Address.Equals(IPAddress.Loopback) ? $"port {Port}" : $"port {Port} on {Address}";

    private static bool IsAny(IPAddress address) => address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any);
}
