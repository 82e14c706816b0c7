namespace Suite.ModelSim.Engine;

/// <summary>
/// Calibrated engine profiles. The public figures each one is derived from are in the tool's README
/// ("Presets"); the derivations are repeated here in short so a change to a number can be checked.
/// </summary>
public static class Presets
{
    /// <summary>
    /// Llama 3.1 8B Instruct, bf16, vLLM on one H100 80 GB. KV: 2 × 32 layers × 8 KV heads × 128 × 2 B = 128 KiB
    /// per token; 0.9 × 80 GB − 16 GB weights − ~4 GB activations ≈ 52 GB → ~430k tokens = 27,000 blocks of 16.
    /// Decode is memory-bound: 16 GB of weights at ~2.7 TB/s ≈ 6 ms a step; 128 KiB per context token ≈ 0.044 ms
    /// per 1k tokens. Prefill ≈ 2 × 8 GFLOP per token at ~550 TFLOP/s ≈ 0.029 ms per token.
    /// </summary>
    public static EngineProfile Llama8BH100 { get; } = new()
    {
        ModelName = "meta-llama/Llama-3.1-8B-Instruct",
        MaxModelLen = 131_072,
        BlockSize = 16,
        NumGpuBlocks = 27_000,
        MaxNumSeqs = 256,
        MaxNumBatchedTokens = 8192,
        StepOverheadMs = 6.0,
        PrefillMsPerToken = 0.029,
        DecodeMsPerSequence = 0.03,
        KvReadMsPer1kTokens = 0.044,
        MaxLoras = 4,
        LoraLoadMs = 25,
    };

    /// <summary>
    /// Llama 3.1 70B Instruct, bf16, vLLM with tensor parallelism 4 on H100 80 GB. Per GPU: 35 GB of weights,
    /// KV 2 × 80 × 8 × 128 × 2 B / 4 = 80 KiB per token; 0.9 × 80 − 35 − ~5 GB ≈ 32 GB → ~400k tokens; 22,000
    /// blocks keeps headroom for the all-reduce buffers. Decode: 35 GB at ~2.7 TB/s ≈ 13 ms plus ~4 ms of
    /// all-reduce per step; 80 KiB per context token per GPU ≈ 0.03 ms per 1k tokens. Prefill ≈ 2 × 70 GFLOP per
    /// token over 4 × ~500 TFLOP/s ≈ 0.07 ms per token.
    /// </summary>
    public static EngineProfile Llama70BH100Tp4 { get; } = new()
    {
        ModelName = "meta-llama/Llama-3.1-70B-Instruct",
        MaxModelLen = 131_072,
        BlockSize = 16,
        NumGpuBlocks = 22_000,
        MaxNumSeqs = 256,
        MaxNumBatchedTokens = 8192,
        StepOverheadMs = 17.0,
        PrefillMsPerToken = 0.07,
        DecodeMsPerSequence = 0.06,
        KvReadMsPer1kTokens = 0.03,
        MaxLoras = 4,
        LoraLoadMs = 60,
    };

    /// <summary>
    /// Not a real GPU: a small, fast server whose KV cache and batch fill with a handful of requests, for tests
    /// and demos that want to see queueing and cache pressure on a laptop.
    /// </summary>
    public static EngineProfile Tiny { get; } = new()
    {
        ModelName = "sim/tiny",
        MaxModelLen = 4096,
        BlockSize = 16,
        NumGpuBlocks = 512,
        MaxNumSeqs = 8,
        MaxNumBatchedTokens = 2048,
        StepOverheadMs = 2.0,
        PrefillMsPerToken = 0.01,
        DecodeMsPerSequence = 0.1,
        KvReadMsPer1kTokens = 0.05,
        MaxLoras = 2,
        LoraLoadMs = 10,
        MaxWaiting = 64,
        MeanOutputTokens = 32,
        DefaultMaxTokens = 64,
    };

    public static IReadOnlyDictionary<string, EngineProfile> ByName { get; } = new Dictionary<string, EngineProfile>(StringComparer.OrdinalIgnoreCase)
    {
        ["llama-3.1-8b-h100"] = Llama8BH100,
        ["llama-3.1-70b-h100-tp4"] = Llama70BH100Tp4,
        ["tiny"] = Tiny,
    };
}
