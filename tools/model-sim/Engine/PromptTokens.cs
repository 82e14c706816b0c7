using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;

namespace Suite.ModelSim.Engine;

/// <summary>
/// A prompt as the engine sees it: its length in tokens and the chained hashes of its full KV blocks. The
/// tokeniser is an approximation: every <c>CharsPerToken</c> UTF-16 characters are one token, so a block covers
/// <c>BlockSize × CharsPerToken</c> characters. Block <c>i</c>'s hash covers block <c>i</c>'s text and, through
/// the chain, every block before it, so equal hashes mean equal prefixes (as in vLLM's prefix caching). The
/// chain starts from the LoRA adapter's name: the same text under another adapter shares nothing.
/// </summary>
internal sealed class PromptTokens
{
    private PromptTokens(int count, ulong[] blockHashes)
    {
        Count = count;
        BlockHashes = blockHashes;
    }

    public int Count { get; }

    /// <summary>One hash per full block, in order.</summary>
    public ulong[] BlockHashes { get; }

    public static int CountTokens(int chars, int charsPerToken) => chars == 0 ? 0 : ((chars - 1) / charsPerToken) + 1;

    public static PromptTokens FromText(string text, string? adapter, int charsPerToken, int blockSize)
    {
        var count = CountTokens(text.Length, charsPerToken);
        var blockChars = blockSize * charsPerToken;
        var hashes = new ulong[text.Length / blockChars];
        var parent = ChainStart(adapter);
        for (var i = 0; i < hashes.Length; i++)
        {
            parent = hashes[i] = Next(parent, MemoryMarshal.AsBytes(text.AsSpan(i * blockChars, blockChars)));
        }

        return new PromptTokens(count, hashes);
    }

    public static PromptTokens FromTokenIds(IReadOnlyList<int> tokenIds, string? adapter, int blockSize)
    {
        var hashes = new ulong[tokenIds.Count / blockSize];
        var parent = ChainStart(adapter);
        var block = new int[blockSize];
        for (var i = 0; i < hashes.Length; i++)
        {
            for (var j = 0; j < blockSize; j++)
            {
                block[j] = tokenIds[(i * blockSize) + j];
            }

            parent = hashes[i] = Next(parent, MemoryMarshal.AsBytes(block.AsSpan()));
        }

        return new PromptTokens(tokenIds.Count, hashes);
    }

    private static ulong ChainStart(string? adapter) =>
        adapter is null ? 1 : Next(1, Encoding.UTF8.GetBytes(adapter));

    private static ulong Next(ulong parent, ReadOnlySpan<byte> content)
    {
        var hash = XxHash3.HashToUInt64(content, seed: unchecked((long)parent));
        return hash == 0 ? 1 : hash; // 0 marks "no hash" in the block pool
    }
}
