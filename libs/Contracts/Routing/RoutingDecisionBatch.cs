using System.Buffers.Binary;
using System.Collections.Immutable;

namespace Suite.Contracts.Routing;

/// <summary>
/// The routing decisions one picker replica made in the last moment (<c>routing-decisions</c> topic), so the other
/// replicas of the same pool learn where each prompt prefix went and keep sending it there.
/// </summary>
/// <param name="Pool">The InferencePool the decisions were for.</param>
/// <param name="ReplicaId">The publishing replica; it ignores its own batches.</param>
/// <param name="At">When the batch was published.</param>
public sealed record RoutingDecisionBatch(string Pool, string ReplicaId, DateTimeOffset At, ImmutableArray<RoutingDecision> Decisions);

/// <summary>One decision: the endpoint chosen and the request's chained prompt block hashes.</summary>
/// <param name="Endpoint">The chosen endpoint's <c>ip:port</c>.</param>
/// <param name="BlockBytes">The prompt bytes per block the hashes were computed with; a replica hashing otherwise ignores them.</param>
/// <param name="BlockHashes">The 64-bit hashes, little-endian, base64: JSON numbers would lose precision on the way through a sidecar.</param>
public sealed record RoutingDecision(string Endpoint, int BlockBytes, string BlockHashes)
{
    public static string EncodeHashes(ReadOnlySpan<ulong> hashes)
    {
        var bytes = new byte[hashes.Length * sizeof(ulong)];
        for (var i = 0; i < hashes.Length; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(i * sizeof(ulong)), hashes[i]);
        }

        return Convert.ToBase64String(bytes);
    }

    /// <summary>The hashes, or an empty array when <see cref="BlockHashes"/> is not whole 64-bit values in base64.</summary>
    public ulong[] DecodeHashes()
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(BlockHashes);
        }
        catch (FormatException)
        {
            return [];
        }

        if (bytes.Length % sizeof(ulong) != 0)
        {
            return [];
        }

        var hashes = new ulong[bytes.Length / sizeof(ulong)];
        for (var i = 0; i < hashes.Length; i++)
        {
            hashes[i] = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(i * sizeof(ulong)));
        }

        return hashes;
    }
}
