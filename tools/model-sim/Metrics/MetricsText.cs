using System.Globalization;
using System.Text;
using Suite.ModelSim.Engine;

namespace Suite.ModelSim.Metrics;

/// <summary>
/// Writes a scrape in the Prometheus text format (version 0.0.4) with vLLM's metric names and labels, or
/// SGLang's. Family names, label names and counter suffixes are the engines' own (PROTOCOLS.md §4).
/// </summary>
internal static class MetricsText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static string Write(EngineSnapshot snapshot, EngineProfile profile, MetricsFormat format, LoraSeriesHistory lora, DateTimeOffset now)
    {
        var text = new StringBuilder(4096);
        if (format == MetricsFormat.Sglang)
        {
            WriteSglang(text, snapshot, profile);
        }
        else
        {
            WriteVllm(text, snapshot, profile, lora, now);
        }

        return text.ToString();
    }

    private static void WriteVllm(StringBuilder text, EngineSnapshot s, EngineProfile profile, LoraSeriesHistory lora, DateTimeOffset now)
    {
        var labels = $"model_name=\"{Escape(profile.ModelName)}\",engine=\"0\"";
        var t = s.Telemetry;
        Family(text, "vllm:num_requests_running", "gauge", "Number of requests in model execution batches.");
        Sample(text, "vllm:num_requests_running", labels, s.Running);
        Family(text, "vllm:num_requests_waiting", "gauge", "Number of requests waiting to be processed.");
        Sample(text, "vllm:num_requests_waiting", labels, s.Waiting);
        Family(text, "vllm:kv_cache_usage_perc", "gauge", "KV-cache usage. 1 means 100 percent usage.");
        Sample(text, "vllm:kv_cache_usage_perc", labels, s.KvCacheUsage);
        if (profile.MaxLoras > 0)
        {
            Family(text, "vllm:lora_requests_info", "gauge", "Running stats on lora requests.");
            var series = lora.Observe(string.Join(',', s.RunningAdapters), string.Join(',', s.WaitingAdapters), now.ToUnixTimeMilliseconds() / 1000.0);
            foreach (var (running, waiting, timestamp) in series)
            {
                Sample(
                    text,
                    "vllm:lora_requests_info",
                    $"max_lora=\"{profile.MaxLoras}\",running_lora_adapters=\"{Escape(running)}\",waiting_lora_adapters=\"{Escape(waiting)}\"",
                    timestamp);
            }
        }

        Family(text, "vllm:cache_config_info", "gauge", "Information of the LLMEngine CacheConfig.");
        Sample(
            text,
            "vllm:cache_config_info",
            $"block_size=\"{profile.BlockSize}\",cache_dtype=\"auto\",enable_prefix_caching=\"{(profile.EnablePrefixCaching ? "True" : "False")}\",gpu_memory_utilization=\"0.9\",num_cpu_blocks=\"0\",num_gpu_blocks=\"{profile.NumGpuBlocks}\"",
            1);
        Counter(text, "vllm:num_preemptions_total", "Cumulative number of preemptions from the engine.", labels, t.Preemptions);
        Counter(text, "vllm:prefix_cache_queries_total", "Prefix cache queries, in terms of number of queried tokens.", labels, t.PrefixCacheQueries);
        Counter(text, "vllm:prefix_cache_hits_total", "Prefix cache hits, in terms of number of cached tokens.", labels, t.PrefixCacheHits);
        Counter(text, "vllm:prompt_tokens_total", "Number of prefill tokens processed.", labels, t.PromptTokens);
        Counter(text, "vllm:generation_tokens_total", "Number of generation tokens processed.", labels, t.GenerationTokens);
        Family(text, "vllm:request_success_total", "counter", "Count of successfully processed requests.");
        Sample(text, "vllm:request_success_total", labels + ",finished_reason=\"stop\"", t.FinishedStop);
        Sample(text, "vllm:request_success_total", labels + ",finished_reason=\"length\"", t.FinishedLength);
        Sample(text, "vllm:request_success_total", labels + ",finished_reason=\"abort\"", t.FinishedAbort);
        HistogramFamily(text, "vllm:time_to_first_token_seconds", "Histogram of time to first token in seconds.", labels, t.TimeToFirstToken);
        HistogramFamily(text, "vllm:time_per_output_token_seconds", "Histogram of time per output token in seconds.", labels, t.TimePerOutputToken);
        HistogramFamily(text, "vllm:e2e_request_latency_seconds", "Histogram of e2e request latency in seconds.", labels, t.EndToEndLatency);
        HistogramFamily(text, "vllm:request_queue_time_seconds", "Histogram of time spent in WAITING phase for request.", labels, t.QueueTime);
    }

    private static void WriteSglang(StringBuilder text, EngineSnapshot s, EngineProfile profile)
    {
        var labels = $"model_name=\"{Escape(profile.ModelName)}\"";
        var t = s.Telemetry;
        Family(text, "sglang:num_running_reqs", "gauge", "The number of running requests.");
        Sample(text, "sglang:num_running_reqs", labels, s.Running);
        Family(text, "sglang:num_queue_reqs", "gauge", "The number of requests in the waiting queue.");
        Sample(text, "sglang:num_queue_reqs", labels, s.Waiting);
        Family(text, "sglang:token_usage", "gauge", "The token usage.");
        Sample(text, "sglang:token_usage", labels, s.KvCacheUsage);
        Family(text, "sglang:cache_hit_rate", "gauge", "The prefix cache hit rate.");
        Sample(text, "sglang:cache_hit_rate", labels, t.PrefixCacheQueries == 0 ? 0 : (double)t.PrefixCacheHits / t.PrefixCacheQueries);
        Family(text, "sglang:cache_config_info", "gauge", "Information of the KV cache configuration.");
        Sample(text, "sglang:cache_config_info", $"{labels},num_pages=\"{profile.NumGpuBlocks}\",page_size=\"{profile.BlockSize}\"", 1);
        Counter(text, "sglang:prompt_tokens_total", "Number of prefill tokens processed.", labels, t.PromptTokens);
        Counter(text, "sglang:generation_tokens_total", "Number of generation tokens processed.", labels, t.GenerationTokens);
        Counter(text, "sglang:num_requests_total", "Number of requests processed.", labels, t.FinishedLength + t.FinishedStop + t.FinishedAbort);
        HistogramFamily(text, "sglang:time_to_first_token_seconds", "Histogram of time to first token in seconds.", labels, t.TimeToFirstToken);
        HistogramFamily(text, "sglang:time_per_output_token_seconds", "Histogram of time per output token in seconds.", labels, t.TimePerOutputToken);
        HistogramFamily(text, "sglang:e2e_request_latency_seconds", "Histogram of End-to-end request latency in seconds", labels, t.EndToEndLatency);
        HistogramFamily(text, "sglang:queue_time_seconds", "Histogram of queueing time in seconds.", labels, t.QueueTime);
    }

    private static void Family(StringBuilder text, string name, string type, string help) =>
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n')
            .Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    private static void Counter(StringBuilder text, string name, string help, string labels, long value)
    {
        Family(text, name, "counter", help);
        Sample(text, name, labels, value);
    }

    private static void HistogramFamily(StringBuilder text, string name, string help, string labels, Histogram histogram)
    {
        Family(text, name, "histogram", help);
        for (var i = 0; i < histogram.UpperBounds.Length; i++)
        {
            Sample(text, name + "_bucket", $"{labels},le=\"{Number(histogram.UpperBounds[i])}\"", histogram.CumulativeCount(i));
        }

        Sample(text, name + "_bucket", labels + ",le=\"+Inf\"", histogram.Count);
        Sample(text, name + "_count", labels, histogram.Count);
        Sample(text, name + "_sum", labels, histogram.Sum);
    }

    private static void Sample(StringBuilder text, string name, string labels, double value) =>
        text.Append(name).Append('{').Append(labels).Append("} ").Append(Number(value)).Append('\n');

    // Prometheus clients print floats with a decimal point ("1.0", "0.25"); integral values keep ".0".
    private static string Number(double value) =>
        value == Math.Floor(value) && Math.Abs(value) < 1e15
            ? value.ToString("0.0", CultureInfo.InvariantCulture)
            : value.ToString("R", CultureInfo.InvariantCulture);

    private static string Escape(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
