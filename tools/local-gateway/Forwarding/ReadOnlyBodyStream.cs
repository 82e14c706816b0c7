using System.Runtime.InteropServices;

namespace Suite.LocalGateway.Forwarding;

/// <summary>A request body for one forwarding attempt, over bytes the gateway already holds.</summary>
internal static class ReadOnlyBodyStream
{
    public static MemoryStream Over(ReadOnlyMemory<byte> body) =>
        MemoryMarshal.TryGetArray(body, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(body.ToArray(), writable: false);
}
