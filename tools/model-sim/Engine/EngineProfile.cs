namespace Suite.ModelSim.Engine;

/// <summary>
/// What one simulated model server is: its model, its KV cache and the costs of a batching step. Every property
/// can be overridden by flag or configuration (section <c>Engine</c>); the formulas are in the tool's README.
/// </summary>
public sealed record EngineProfile
{
    /// <summary>The base model name served (and answered in <c>/v1/models</c>).</summary>
    public string ModelName { get; init; } = "meta-llama/Llama-3.1-8B-Instruct";

    /// <summary>Longest prompt + output a request may ask for, in tokens.</summary>
    public int MaxModelLen { get; init; } = 131_072;

    /// <summary>Tokens per KV-cache block.</summary>
    public int BlockSize { get; init; } = 16;

    /// <summary>KV-cache blocks on the GPU(s).</summary>
    public int NumGpuBlocks { get; init; } = 27_000;

    /// <summary>Most sequences in one batch.</summary>
    public int MaxNumSeqs { get; init; } = 256;

    /// <summary>Per-step token budget (prefill chunks plus one token per decoding sequence).</summary>
    public int MaxNumBatchedTokens { get; init; } = 8192;

    /// <summary>Automatic prefix caching: resident full blocks of a prompt are not computed again.</summary>
    public bool EnablePrefixCaching { get; init; } = true;

    /// <summary>Fixed cost of every step (weights read once per step, kernel launches).</summary>
    public double StepOverheadMs { get; init; } = 6.0;

    /// <summary>Cost per prompt token computed in a step (compute-bound prefill).</summary>
    public double PrefillMsPerToken { get; init; } = 0.029;

    /// <summary>Cost per sequence decoding one token in a step.</summary>
    public double DecodeMsPerSequence { get; init; } = 0.03;

    /// <summary>Cost of attention reading the KV cache, per 1,000 context tokens of the scheduled sequences.</summary>
    public double KvReadMsPer1kTokens { get; init; } = 0.044;

    /// <summary>LoRA adapters that may run in one batch (vLLM <c>--max-loras</c>).</summary>
    public int MaxLoras { get; init; } = 4;

    /// <summary>Time added to the step that first runs an adapter which is not resident on the GPU.</summary>
    public double LoraLoadMs { get; init; } = 25;

    /// <summary>Requests that may wait; one more gets 429.</summary>
    public int MaxWaiting { get; init; } = 1024;

    /// <summary>The tokeniser approximation: this many characters make one token.</summary>
    public int CharsPerToken { get; init; } = 4;

    /// <summary>Mean output length when a request may stop early (no <c>ignore_eos</c>): each token ends it with probability 1/mean.</summary>
    public int MeanOutputTokens { get; init; } = 256;

    /// <summary>Output length when a request sets no <c>max_tokens</c> and ignores EOS.</summary>
    public int DefaultMaxTokens { get; init; } = 1024;

    public int KvCapacityTokens => NumGpuBlocks * BlockSize;

    /// <summary>Problems with the settings, each naming its key; empty when the profile is usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        void Require(bool ok, string key, string rule)
        {
            if (!ok)
            {
                problems.Add($"Engine:{key} {rule}");
            }
        }

        Require(!string.IsNullOrWhiteSpace(ModelName), nameof(ModelName), "must be set");
        Require(BlockSize is >= 1 and <= 1024, nameof(BlockSize), "must be 1–1024");
        Require(NumGpuBlocks >= 1, nameof(NumGpuBlocks), "must be ≥ 1");
        Require(MaxModelLen >= 2, nameof(MaxModelLen), "must be ≥ 2");
        Require(MaxModelLen <= KvCapacityTokens, nameof(MaxModelLen), $"must fit the KV cache (≤ NumGpuBlocks × BlockSize = {KvCapacityTokens})");
        Require(MaxNumSeqs >= 1, nameof(MaxNumSeqs), "must be ≥ 1");
        Require(MaxNumBatchedTokens >= MaxNumSeqs, nameof(MaxNumBatchedTokens), "must be ≥ MaxNumSeqs (every running sequence decodes each step)");
        Require(StepOverheadMs > 0, nameof(StepOverheadMs), "must be > 0");
        Require(PrefillMsPerToken >= 0, nameof(PrefillMsPerToken), "must be ≥ 0");
        Require(DecodeMsPerSequence >= 0, nameof(DecodeMsPerSequence), "must be ≥ 0");
        Require(KvReadMsPer1kTokens >= 0, nameof(KvReadMsPer1kTokens), "must be ≥ 0");
        Require(MaxLoras >= 0, nameof(MaxLoras), "must be ≥ 0");
        Require(LoraLoadMs >= 0, nameof(LoraLoadMs), "must be ≥ 0");
        Require(MaxWaiting >= 0, nameof(MaxWaiting), "must be ≥ 0");
        Require(CharsPerToken >= 1, nameof(CharsPerToken), "must be ≥ 1");
        Require(MeanOutputTokens >= 1, nameof(MeanOutputTokens), "must be ≥ 1");
        Require(DefaultMaxTokens >= 1, nameof(DefaultMaxTokens), "must be ≥ 1");
        return problems;
    }
}
