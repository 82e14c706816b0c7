using Suite.MetricsCollector.Scraping;
using static Suite.MetricsCollector.Tests.Scraping.Pages;

namespace Suite.MetricsCollector.Tests.Scraping;

/// <summary>Pages in the shape each engine serves, read with that engine's built-in names.</summary>
public sealed class EngineFormatTests
{
    // Triton's TensorRT-LLM backend: one family per area, the figure chosen by a label.
    private const string TritonPage = """
        # HELP nv_inference_request_success Number of successful inference requests, all batch sizes
        # TYPE nv_inference_request_success counter
        nv_inference_request_success{model="ensemble",version="1"} 1520
        nv_inference_request_success{model="tensorrt_llm",version="1"} 1520
        # HELP nv_trt_llm_request_metrics TRT LLM request metrics
        # TYPE nv_trt_llm_request_metrics gauge
        nv_trt_llm_request_metrics{model="tensorrt_llm",request_type="context",version="1"} 1
        nv_trt_llm_request_metrics{model="tensorrt_llm",request_type="scheduled",version="1"} 6
        nv_trt_llm_request_metrics{model="tensorrt_llm",request_type="max",version="1"} 64
        nv_trt_llm_request_metrics{model="tensorrt_llm",request_type="active",version="1"} 9
        nv_trt_llm_request_metrics{model="tensorrt_llm",request_type="waiting",version="1"} 3
        # HELP nv_trt_llm_kv_cache_block_metrics TRT LLM KV cache block metrics
        # TYPE nv_trt_llm_kv_cache_block_metrics gauge
        nv_trt_llm_kv_cache_block_metrics{kv_cache_block_type="fraction",model="tensorrt_llm",version="1"} 0.15625
        nv_trt_llm_kv_cache_block_metrics{kv_cache_block_type="tokens_per",model="tensorrt_llm",version="1"} 64
        nv_trt_llm_kv_cache_block_metrics{kv_cache_block_type="used",model="tensorrt_llm",version="1"} 160
        nv_trt_llm_kv_cache_block_metrics{kv_cache_block_type="free",model="tensorrt_llm",version="1"} 864
        nv_trt_llm_kv_cache_block_metrics{kv_cache_block_type="max",model="tensorrt_llm",version="1"} 1024
        # HELP nv_gpu_utilization GPU utilization rate [0.0 - 1.0)
        # TYPE nv_gpu_utilization gauge
        nv_gpu_utilization{gpu_uuid="GPU-7c3e1f4a-0000-0000-0000-000000000000"} 0.93

        """;

    [Fact]
    public void Parse_TritonPage_PicksWaitingRunningAndKvByTheirLabelFilters()
    {
        var scraped = Parse(TritonPage, EngineMetricNames.TritonTensorRtLlm);

        Assert.Null(scraped.Error);
        Assert.Equal(3, scraped.Waiting);
        Assert.Equal(6, scraped.Running);
        Assert.Equal(0.15625, scraped.KvCacheUsage);
        Assert.Null(scraped.ModelName);
        Assert.Null(scraped.BlockSize);
    }

    [Fact]
    public void Parse_TritonPageWithoutTheWaitingType_NamesTheFilteredFamily()
    {
        var page = TritonPage.Replace(
            "nv_trt_llm_request_metrics{model=\"tensorrt_llm\",request_type=\"waiting\",version=\"1\"} 3\n", "", StringComparison.Ordinal);

        var scraped = Parse(page, EngineMetricNames.TritonTensorRtLlm);

        Assert.Equal("the page has no nv_trt_llm_request_metrics{request_type=\"waiting\"} series", scraped.Error);
    }

    [Fact]
    public void Parse_TritonNonFiniteFractionAmongOtherTypes_NamesTheFilteredSelector()
    {
        var page = TritonPage.Replace(
            "{kv_cache_block_type=\"fraction\",model=\"tensorrt_llm\",version=\"1\"} 0.15625",
            "{kv_cache_block_type=\"fraction\",model=\"tensorrt_llm\",version=\"1\"} NaN",
            StringComparison.Ordinal);

        var scraped = Parse(page, EngineMetricNames.TritonTensorRtLlm);

        Assert.Equal(
            "line 14: the value of nv_trt_llm_kv_cache_block_metrics{kv_cache_block_type=\"fraction\"} is NaN; KV-cache use must be a finite number",
            scraped.Error);
    }

    [Fact]
    public void Parse_FilterValueWithAnEscapedQuote_MatchesTheEscapedPageValue()
    {
        var names = EngineMetricNames.TrtllmServe with
        {
            Waiting = new MetricSelector("queue", new LabelFilter("kind", "say \"hi\"\\now")),
        };
        var page = """
            queue{kind="say \"hi\"\\now"} 4
            queue{kind="say hi"} 100
            trtllm_num_requests_running 1
            trtllm_kv_cache_utilization 0.5
            """;

        var scraped = Parse(page, names);

        Assert.Equal(4, scraped.Waiting);
    }

    [Fact]
    public void Parse_TrtllmServePage_ReadsItsFamilies()
    {
        var page = """
            # HELP trtllm_num_requests_waiting Number of requests waiting
            # TYPE trtllm_num_requests_waiting gauge
            trtllm_num_requests_waiting{engine_type="trtllm",model_name="meta-llama/Llama-3.1-8B-Instruct"} 2.0
            # HELP trtllm_num_requests_running Number of requests running
            # TYPE trtllm_num_requests_running gauge
            trtllm_num_requests_running{engine_type="trtllm",model_name="meta-llama/Llama-3.1-8B-Instruct"} 5.0
            # HELP trtllm_kv_cache_utilization KV cache utilization
            # TYPE trtllm_kv_cache_utilization gauge
            trtllm_kv_cache_utilization{engine_type="trtllm",model_name="meta-llama/Llama-3.1-8B-Instruct"} 0.625
            # HELP trtllm_kv_cache_hit_rate KV cache hit rate
            # TYPE trtllm_kv_cache_hit_rate gauge
            trtllm_kv_cache_hit_rate{engine_type="trtllm",model_name="meta-llama/Llama-3.1-8B-Instruct"} 0.3
            # HELP trtllm_request_success_total Successful requests
            # TYPE trtllm_request_success_total counter
            trtllm_request_success_total{engine_type="trtllm",finished_reason="stop",model_name="meta-llama/Llama-3.1-8B-Instruct"} 210.0
            """;

        var scraped = Parse(page, EngineMetricNames.TrtllmServe);

        Assert.Null(scraped.Error);
        Assert.Equal(2, scraped.Waiting);
        Assert.Equal(5, scraped.Running);
        Assert.Equal(0.625, scraped.KvCacheUsage);
        Assert.Equal("meta-llama/Llama-3.1-8B-Instruct", scraped.ModelName);
    }

    [Fact]
    public void Parse_TrtllmServePageWithoutKv_NamesTheFamilyWithoutAFallback()
    {
        var scraped = Parse("trtllm_num_requests_waiting 0\ntrtllm_num_requests_running 0\n", EngineMetricNames.TrtllmServe);

        Assert.Equal("the page has no trtllm_kv_cache_utilization series", scraped.Error);
    }

    [Fact]
    public void Parse_VllmNamesOnAnSglangPage_ReportTheMissingVllmFamily()
    {
        var page = "sglang:num_queue_reqs 1\nsglang:num_running_reqs 1\nsglang:token_usage 0.1\n";

        var scraped = Parse(page);

        Assert.Equal("the page has no vllm:num_requests_waiting series", scraped.Error);
    }
}
