using System.Collections.Frozen;

namespace Suite.MetricsCollector.Scraping;

/// <summary>The family whose labels carry the KV-cache geometry, and the names of those labels.</summary>
internal sealed record CacheConfigNames(string Family, string BlockSizeLabel, string BlockCountLabel);

/// <summary>
/// Where one engine publishes what the picker needs: queue length, batch size, KV-cache use (0–1) and, where
/// the engine has them, LoRA state and cache geometry (PROTOCOLS.md §4).
/// </summary>
/// <param name="KvCacheUsageFallback">Read only when <paramref name="KvCacheUsage"/> has no series (older vLLM).</param>
/// <param name="LoraInfo">A family whose series carry <c>max_lora</c>, <c>running_lora_adapters</c> and
/// <c>waiting_lora_adapters</c>, valued with a timestamp (vLLM only).</param>
internal sealed record EngineMetricNames(
    MetricSelector Waiting,
    MetricSelector Running,
    MetricSelector KvCacheUsage,
    MetricSelector? KvCacheUsageFallback = null,
    string? LoraInfo = null,
    CacheConfigNames? CacheConfig = null)
{
    /// <summary>The engine assumed when a pod has no <c>inference.networking.k8s.io/engine-type</c> label.</summary>
    public const string DefaultEngineType = "vllm";

    public static EngineMetricNames Vllm { get; } = new(
        new MetricSelector("vllm:num_requests_waiting"),
        new MetricSelector("vllm:num_requests_running"),
        new MetricSelector("vllm:kv_cache_usage_perc"),
        new MetricSelector("vllm:gpu_cache_usage_perc"),
        "vllm:lora_requests_info",
        new CacheConfigNames("vllm:cache_config_info", "block_size", "num_gpu_blocks"));

    public static EngineMetricNames Sglang { get; } = new(
        new MetricSelector("sglang:num_queue_reqs"),
        new MetricSelector("sglang:num_running_reqs"),
        new MetricSelector("sglang:token_usage"),
        CacheConfig: new CacheConfigNames("sglang:cache_config_info", "page_size", "num_pages"));

    public static EngineMetricNames TrtllmServe { get; } = new(
        new MetricSelector("trtllm_num_requests_waiting"),
        new MetricSelector("trtllm_num_requests_running"),
        new MetricSelector("trtllm_kv_cache_utilization"));

    public static EngineMetricNames TritonTensorRtLlm { get; } = new(
        new MetricSelector("nv_trt_llm_request_metrics", new LabelFilter("request_type", "waiting")),
        new MetricSelector("nv_trt_llm_request_metrics", new LabelFilter("request_type", "scheduled")),
        new MetricSelector("nv_trt_llm_kv_cache_block_metrics", new LabelFilter("kv_cache_block_type", "fraction")));

    /// <summary>The built-in names by engine type (the pod label's value, compared ignoring case).</summary>
    public static FrozenDictionary<string, EngineMetricNames> Defaults { get; } = new Dictionary<string, EngineMetricNames>
    {
        [DefaultEngineType] = Vllm,
        ["sglang"] = Sglang,
        ["trtllm-serve"] = TrtllmServe,
        ["triton-tensorrt-llm"] = TritonTensorRtLlm,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
}
