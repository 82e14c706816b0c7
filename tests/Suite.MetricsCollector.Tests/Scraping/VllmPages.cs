using System.Globalization;
using System.Text;

namespace Suite.MetricsCollector.Tests.Scraping;

/// <summary>Pages shaped like vLLM 0.10's <c>/metrics</c> (prometheus_client text output, data-parallel engines).</summary>
internal static class VllmPages
{
    /// <summary>Two engines, three LoRA series (the newest in the middle), cache config with vLLM's many labels.</summary>
    public const string TwoEngines = """
        # HELP python_gc_objects_collected_total Objects collected during gc
        # TYPE python_gc_objects_collected_total counter
        python_gc_objects_collected_total{generation="0"} 13652.0
        python_gc_objects_collected_total{generation="1"} 2531.0
        python_gc_objects_collected_total{generation="2"} 713.0
        # HELP python_info Python platform information
        # TYPE python_info gauge
        python_info{implementation="CPython",major="3",minor="12",patchlevel="11",version="3.12.11"} 1.0
        # HELP process_resident_memory_bytes Resident memory size in bytes.
        # TYPE process_resident_memory_bytes gauge
        process_resident_memory_bytes 2.147483648e+09
        # HELP process_start_time_seconds Start time of the process since unix epoch in seconds.
        # TYPE process_start_time_seconds gauge
        process_start_time_seconds 1.75234501226e+09
        # HELP vllm:num_requests_running Number of requests in model execution batches.
        # TYPE vllm:num_requests_running gauge
        vllm:num_requests_running{model_name="meta-llama/Llama-3.1-8B-Instruct",engine="0"} 12.0
        vllm:num_requests_running{model_name="meta-llama/Llama-3.1-8B-Instruct",engine="1"} 9.0
        # HELP vllm:num_requests_waiting Number of requests waiting to be processed.
        # TYPE vllm:num_requests_waiting gauge
        vllm:num_requests_waiting{model_name="meta-llama/Llama-3.1-8B-Instruct",engine="0"} 3.0
        vllm:num_requests_waiting{model_name="meta-llama/Llama-3.1-8B-Instruct",engine="1"} 0.0
        # HELP vllm:lora_requests_info Running stats on lora requests.
        # TYPE vllm:lora_requests_info gauge
        vllm:lora_requests_info{max_lora="4",running_lora_adapters="",waiting_lora_adapters=""} 1.7523456e+09
        vllm:lora_requests_info{max_lora="4",running_lora_adapters="sql-lora,code-lora",waiting_lora_adapters="chat-lora"} 1.7523461045123e+09
        vllm:lora_requests_info{max_lora="4",running_lora_adapters="sql-lora",waiting_lora_adapters=""} 1.7523459e+09
        # HELP vllm:kv_cache_usage_perc KV-cache usage. 1 means 100 percent usage.
        # TYPE vllm:kv_cache_usage_perc gauge
        vllm:kv_cache_usage_perc{model_name="meta-llama/Llama-3.1-8B-Instruct",engine="0"} 0.4123
        vllm:kv_cache_usage_perc{model_name="meta-llama/Llama-3.1-8B-Instruct",engine="1"} 0.3875
        # HELP vllm:prefix_cache_queries_total Prefix cache queries, in terms of number of queried tokens.
        # TYPE vllm:prefix_cache_queries_total counter
        vllm:prefix_cache_queries_total{model_name="meta-llama/Llama-3.1-8B-Instruct",engine="0"} 1.234567e+06
        vllm:prefix_cache_queries_total{model_name="meta-llama/Llama-3.1-8B-Instruct",engine="1"} 1.198034e+06
        # HELP vllm:prefix_cache_queries_created Prefix cache queries, in terms of number of queried tokens.
        # TYPE vllm:prefix_cache_queries_created gauge
        vllm:prefix_cache_queries_created{model_name="meta-llama/Llama-3.1-8B-Instruct",engine="0"} 1.7523450871e+09
        vllm:prefix_cache_queries_created{model_name="meta-llama/Llama-3.1-8B-Instruct",engine="1"} 1.7523450872e+09
        # HELP vllm:request_success_total Count of successfully processed requests.
        # TYPE vllm:request_success_total counter
        vllm:request_success_total{model_name="meta-llama/Llama-3.1-8B-Instruct",engine="0",finished_reason="stop"} 1520.0
        vllm:request_success_total{model_name="meta-llama/Llama-3.1-8B-Instruct",engine="0",finished_reason="length"} 311.0
        vllm:request_success_total{model_name="meta-llama/Llama-3.1-8B-Instruct",engine="0",finished_reason="abort"} 4.0
        # HELP vllm:time_to_first_token_seconds Histogram of time to first token in seconds.
        # TYPE vllm:time_to_first_token_seconds histogram
        vllm:time_to_first_token_seconds_sum{model_name="meta-llama/Llama-3.1-8B-Instruct",engine="0"} 412.73850226402283
        vllm:time_to_first_token_seconds_bucket{model_name="meta-llama/Llama-3.1-8B-Instruct",engine="0",le="0.001"} 0.0
        vllm:time_to_first_token_seconds_bucket{model_name="meta-llama/Llama-3.1-8B-Instruct",engine="0",le="0.005"} 0.0
        vllm:time_to_first_token_seconds_bucket{model_name="meta-llama/Llama-3.1-8B-Instruct",engine="0",le="0.01"} 2.0
        vllm:time_to_first_token_seconds_bucket{model_name="meta-llama/Llama-3.1-8B-Instruct",engine="0",le="0.02"} 31.0
        vllm:time_to_first_token_seconds_bucket{model_name="meta-llama/Llama-3.1-8B-Instruct",engine="0",le="0.04"} 402.0
        vllm:time_to_first_token_seconds_bucket{model_name="meta-llama/Llama-3.1-8B-Instruct",engine="0",le="0.06"} 1013.0
        vllm:time_to_first_token_seconds_bucket{model_name="meta-llama/Llama-3.1-8B-Instruct",engine="0",le="0.08"} 1397.0
        vllm:time_to_first_token_seconds_bucket{model_name="meta-llama/Llama-3.1-8B-Instruct",engine="0",le="0.1"} 1602.0
        vllm:time_to_first_token_seconds_bucket{model_name="meta-llama/Llama-3.1-8B-Instruct",engine="0",le="0.25"} 1811.0
        vllm:time_to_first_token_seconds_bucket{model_name="meta-llama/Llama-3.1-8B-Instruct",engine="0",le="0.5"} 1829.0
        vllm:time_to_first_token_seconds_bucket{model_name="meta-llama/Llama-3.1-8B-Instruct",engine="0",le="+Inf"} 1835.0
        vllm:time_to_first_token_seconds_count{model_name="meta-llama/Llama-3.1-8B-Instruct",engine="0"} 1835.0
        # HELP vllm:time_to_first_token_seconds_created Histogram of time to first token in seconds.
        # TYPE vllm:time_to_first_token_seconds_created gauge
        vllm:time_to_first_token_seconds_created{model_name="meta-llama/Llama-3.1-8B-Instruct",engine="0"} 1.7523450871e+09
        # HELP vllm:cache_config_info Information of the LLMEngine CacheConfig
        # TYPE vllm:cache_config_info gauge
        vllm:cache_config_info{block_size="16",cache_dtype="auto",calculate_kv_scales="False",cpu_offload_gb="0",enable_prefix_caching="True",engine="0",gpu_memory_utilization="0.9",is_attention_free="False",num_cpu_blocks="None",num_gpu_blocks="27000",num_gpu_blocks_override="None",prefix_caching_hash_algo="builtin",sliding_window="None",swap_space="4",swap_space_bytes="4294967296"} 1.0
        # HELP http_requests_total Total number of requests by method, status and handler.
        # TYPE http_requests_total counter
        http_requests_total{handler="/v1/chat/completions",method="POST",status="2xx"} 15203.0
        http_requests_total{handler="/metrics",method="GET",status="2xx"} 88211.0

        """;

    private static readonly double[] TimeBuckets = [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0, 160.0, 640.0, 2560.0];

    private static readonly double[] RequestBuckets = [0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 2.5, 5.0, 10.0, 15.0, 20.0, 30.0, 40.0, 50.0, 60.0, 120.0, 240.0, 480.0, 960.0, 1920.0, 7680.0];

    private static readonly double[] TokenBuckets = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000, 131072];

    private static readonly string[] HistogramFamilies =
    [
        "vllm:iteration_tokens_total", "vllm:time_to_first_token_seconds", "vllm:time_per_output_token_seconds",
        "vllm:e2e_request_latency_seconds", "vllm:request_queue_time_seconds", "vllm:request_inference_time_seconds",
        "vllm:request_prefill_time_seconds", "vllm:request_decode_time_seconds", "vllm:request_prompt_tokens",
        "vllm:request_generation_tokens", "vllm:request_max_num_generation_tokens", "vllm:request_params_max_tokens", "vllm:request_params_n",
    ];

    private static readonly string[] Handlers = ["/v1/chat/completions", "/v1/completions", "/metrics", "/health", "/v1/models", "/v1/load_lora_adapter"];

    /// <summary>
    /// A full page for <paramref name="engines"/> data-parallel engines: every family vLLM 0.10 exports, with
    /// <c>_created</c> series and its real histogram buckets. Engine <c>e</c> has <c>e % 3</c> waiting,
    /// <c>8 + e</c> running and KV use <c>0.25 + e / 100</c>.
    /// </summary>
    public static string Realistic(int engines)
    {
        const string Model = "meta-llama/Llama-3.1-8B-Instruct";
        var page = new StringBuilder(engines * 48 * 1024);
        page.Append("""
            # HELP python_gc_objects_collected_total Objects collected during gc
            # TYPE python_gc_objects_collected_total counter
            python_gc_objects_collected_total{generation="0"} 13652.0
            python_gc_objects_collected_total{generation="1"} 2531.0
            python_gc_objects_collected_total{generation="2"} 713.0
            # HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.
            # TYPE process_cpu_seconds_total counter
            process_cpu_seconds_total 8123.45

            """);
        Gauges(page, "vllm:num_requests_running", "Number of requests in model execution batches.", Model, engines, e => 8 + e);
        Gauges(page, "vllm:num_requests_waiting", "Number of requests waiting to be processed.", Model, engines, e => e % 3);
        page.Append("# HELP vllm:lora_requests_info Running stats on lora requests.\n# TYPE vllm:lora_requests_info gauge\n")
            .Append("vllm:lora_requests_info{max_lora=\"4\",running_lora_adapters=\"\",waiting_lora_adapters=\"\"} 1.7523456e+09\n")
            .Append("vllm:lora_requests_info{max_lora=\"4\",running_lora_adapters=\"sql-lora,code-lora\",waiting_lora_adapters=\"chat-lora\"} 1.7523461045123e+09\n")
            .Append("vllm:lora_requests_info{max_lora=\"4\",running_lora_adapters=\"sql-lora\",waiting_lora_adapters=\"\"} 1.7523459e+09\n");
        Gauges(page, "vllm:kv_cache_usage_perc", "KV-cache usage. 1 means 100 percent usage.", Model, engines, e => 0.25 + (e / 100.0));
        foreach (var counter in new[] { "num_preemptions", "prompt_tokens", "generation_tokens", "prefix_cache_queries", "prefix_cache_hits" })
        {
            Gauges(page, $"vllm:{counter}_total", "A counter.", Model, engines, e => 1.234567e+06 + e, type: "counter");
            Gauges(page, $"vllm:{counter}_created", "A counter.", Model, engines, e => 1.7523450871e+09 + e);
        }

        for (var e = 0; e < engines; e++)
        {
            foreach (var reason in new[] { "stop", "length", "abort" })
            {
                page.Append(CultureInfo.InvariantCulture, $"vllm:request_success_total{{model_name=\"{Model}\",engine=\"{e}\",finished_reason=\"{reason}\"}} 1520.0\n");
            }
        }

        foreach (var family in HistogramFamilies)
        {
            var buckets = family.EndsWith("_seconds", StringComparison.Ordinal)
                ? (family.Contains("first_token", StringComparison.Ordinal) ? TimeBuckets : RequestBuckets)
                : TokenBuckets;
            page.Append(CultureInfo.InvariantCulture, $"# HELP {family} Histogram.\n# TYPE {family} histogram\n");
            for (var e = 0; e < engines; e++)
            {
                var labels = $"model_name=\"{Model}\",engine=\"{e}\"";
                Histogram(page, family, labels, buckets);
            }
        }

        for (var e = 0; e < engines; e++)
        {
            page.Append(CultureInfo.InvariantCulture, $"vllm:cache_config_info{{block_size=\"16\",cache_dtype=\"auto\",calculate_kv_scales=\"False\",cpu_offload_gb=\"0\",enable_prefix_caching=\"True\",engine=\"{e}\",gpu_memory_utilization=\"0.9\",is_attention_free=\"False\",num_cpu_blocks=\"None\",num_gpu_blocks=\"27000\",num_gpu_blocks_override=\"None\",prefix_caching_hash_algo=\"builtin\",sliding_window=\"None\",swap_space=\"4\",swap_space_bytes=\"4294967296\"}} 1.0\n");
        }

        page.Append("# HELP http_request_duration_seconds Latency with only few buckets by handler.\n# TYPE http_request_duration_seconds histogram\n");
        foreach (var handler in Handlers)
        {
            page.Append(CultureInfo.InvariantCulture, $"http_requests_total{{handler=\"{handler}\",method=\"POST\",status=\"2xx\"}} 15203.0\n");
            Histogram(page, "http_request_duration_seconds", $"handler=\"{handler}\",method=\"POST\"", RequestBuckets);
        }

        return page.ToString();
    }

    private static void Gauges(StringBuilder page, string family, string help, string model, int engines, Func<int, double> value, string type = "gauge")
    {
        page.Append(CultureInfo.InvariantCulture, $"# HELP {family} {help}\n# TYPE {family} {type}\n");
        for (var e = 0; e < engines; e++)
        {
            page.Append(CultureInfo.InvariantCulture, $"{family}{{model_name=\"{model}\",engine=\"{e}\"}} {Number(value(e))}\n");
        }
    }

    private static void Histogram(StringBuilder page, string family, string labels, double[] buckets)
    {
        page.Append(CultureInfo.InvariantCulture, $"{family}_sum{{{labels}}} 412.73850226402283\n");
        for (var i = 0; i < buckets.Length; i++)
        {
            page.Append(CultureInfo.InvariantCulture, $"{family}_bucket{{{labels},le=\"{Number(buckets[i])}\"}} {Number(i * 37.0)}\n");
        }

        page.Append(CultureInfo.InvariantCulture, $"{family}_bucket{{{labels},le=\"+Inf\"}} 1835.0\n")
            .Append(CultureInfo.InvariantCulture, $"{family}_count{{{labels}}} 1835.0\n")
            .Append(CultureInfo.InvariantCulture, $"{family}_created{{{labels}}} 1.7523450871e+09\n");
    }

    // prometheus_client's float style: "12.0", "0.4123", "1.7523450871e+09".
    private static string Number(double value) =>
        value >= 1e9 ? value.ToString("0.##########e+00", CultureInfo.InvariantCulture)
        : value == Math.Floor(value) ? value.ToString("0.0", CultureInfo.InvariantCulture)
        : value.ToString("R", CultureInfo.InvariantCulture);
}
