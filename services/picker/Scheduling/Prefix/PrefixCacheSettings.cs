using Suite.Contracts.Pools;

namespace Suite.Picker.Scheduling.Prefix;

/// <summary>The <c>prefix-cache</c> scorer's parameters; the README's "Prefix-cache affinity" explains each.</summary>
/// <param name="BlockBytes">Prompt bytes per hashed block: 64 ≈ 16 tokens at 4 characters a token, vLLM's default block.</param>
/// <param name="MaxBlocks">Leading blocks of a request considered; the rest of a long prompt is not hashed.</param>
/// <param name="CapacityBlocks">Blocks each endpoint is believed to hold; 0 sizes it from the pod's cache config.</param>
/// <param name="MaxAge">How long a recorded placement counts.</param>
/// <param name="LoadGuard">Whether affinity is scaled down on loaded endpoints (see <see cref="Prefix.LoadGuard"/>).</param>
public sealed record PrefixCacheSettings(int BlockBytes, int MaxBlocks, int CapacityBlocks, TimeSpan MaxAge, bool LoadGuard)
{
    /// <summary>Blocks per endpoint when the pod does not publish its cache config (the reference picker's figure).</summary>
    public const int FallbackCapacityBlocks = 31_250;

    public const int CharactersPerToken = 4;

    public static PrefixCacheSettings Default { get; } = new(64, 256, 0, TimeSpan.FromMinutes(10), LoadGuard: true);

    /// <summary>Blocks of <see cref="BlockBytes"/> the endpoint's KV cache holds.</summary>
    public int CapacityOf(EndpointMetrics metrics)
    {
        if (CapacityBlocks > 0)
        {
            return CapacityBlocks;
        }

        if (metrics.BlockSize is > 0 and var tokensPerBlock && metrics.BlockCount is > 0 and var blockCount)
        {
            var bytes = (long)tokensPerBlock * blockCount * CharactersPerToken;
            return (int)Math.Clamp(bytes / BlockBytes, 1, PrefixCacheIndex.MaxCapacityBlocks);
        }

        return FallbackCapacityBlocks;
    }
}
