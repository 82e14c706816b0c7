using System.Buffers;
using System.IO.Hashing;
using System.Text;

namespace Suite.Picker.Scheduling.Prefix;

/// <summary>
/// Chained block hashes over a request's prompt bytes, as vLLM's prefix cache chains its KV blocks: block i's hash
/// covers block i and, through the seed, every block before it. The chain starts from the target model's name, so
/// the same text sent to another model or adapter shares nothing. A trailing partial block is not hashed (a server
/// caches only full blocks).
/// </summary>
public static class PrefixHashes
{
    private const int StackModelBytes = 256;

    /// <summary>Writes up to <c>hashes.Length</c> block hashes of <paramref name="text"/>; returns how many.</summary>
    public static int Compute(string? model, ReadOnlySpan<byte> text, int blockBytes, Span<ulong> hashes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blockBytes, 1);
        var count = Math.Min(text.Length / blockBytes, hashes.Length);
        if (count == 0)
        {
            return 0;
        }

        var previous = ModelSeed(model ?? "");
        for (var i = 0; i < count; i++)
        {
            previous = XxHash3.HashToUInt64(text.Slice(i * blockBytes, blockBytes), unchecked((long)previous));
            hashes[i] = previous;
        }

        return count;
    }

    private static ulong ModelSeed(string model)
    {
        var max = Encoding.UTF8.GetMaxByteCount(model.Length);
        byte[]? rented = null;
        var buffer = max <= StackModelBytes ? stackalloc byte[StackModelBytes] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            var written = Encoding.UTF8.GetBytes(model, buffer);
            return XxHash3.HashToUInt64(buffer[..written]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
