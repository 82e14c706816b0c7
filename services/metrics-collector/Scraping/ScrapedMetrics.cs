using System.Collections.Immutable;

namespace Suite.MetricsCollector.Scraping;

/// <summary>
/// What one page said about a model server, or why it could not be read (<see cref="Error"/>, which names the
/// metric and, for a bad line, its 1-based number). When <see cref="Error"/> is set the other values are defaults.
/// </summary>
internal sealed record ScrapedMetrics
{
    /// <summary>Queued requests, summed over the family's series (vLLM has one per <c>engine</c>).</summary>
    public double Waiting { get; init; }

    /// <summary>Requests in the running batch, summed over the family's series.</summary>
    public double Running { get; init; }

    /// <summary>KV-cache use, 0–1: the largest over the family's series.</summary>
    public double KvCacheUsage { get; init; }

    /// <summary>The <c>model_name</c> label of the first waiting series, when it has one.</summary>
    public string? ModelName { get; init; }

    /// <summary>LoRA adapters that may run at once; 0 when the engine reports no LoRA state.</summary>
    public int MaxLora { get; init; }

    public ImmutableArray<string> RunningAdapters { get; init; } = [];

    public ImmutableArray<string> WaitingAdapters { get; init; } = [];

    /// <summary>Tokens per KV-cache block (vLLM <c>block_size</c>, SGLang <c>page_size</c>); null when not reported.</summary>
    public int? BlockSize { get; init; }

    /// <summary>KV-cache blocks (vLLM <c>num_gpu_blocks</c>, SGLang <c>num_pages</c>); null when not reported.</summary>
    public int? BlockCount { get; init; }

    public string? Error { get; init; }

    public bool Succeeded => Error is null;

    public static ScrapedMetrics Failed(string error) => new() { Error = error };
}
