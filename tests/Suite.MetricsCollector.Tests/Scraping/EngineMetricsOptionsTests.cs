using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Suite.MetricsCollector.Scraping;
using static Suite.MetricsCollector.Tests.Scraping.Pages;

namespace Suite.MetricsCollector.Tests.Scraping;

public sealed class EngineMetricsOptionsTests
{
    [Theory]
    [InlineData("vllm", "vllm:num_requests_waiting", "vllm:num_requests_running", "vllm:kv_cache_usage_perc")]
    [InlineData("sglang", "sglang:num_queue_reqs", "sglang:num_running_reqs", "sglang:token_usage")]
    [InlineData("trtllm-serve", "trtllm_num_requests_waiting", "trtllm_num_requests_running", "trtllm_kv_cache_utilization")]
    [InlineData(
        "triton-tensorrt-llm",
        "nv_trt_llm_request_metrics{request_type=\"waiting\"}",
        "nv_trt_llm_request_metrics{request_type=\"scheduled\"}",
        "nv_trt_llm_kv_cache_block_metrics{kv_cache_block_type=\"fraction\"}")]
    public void Defaults_EachEngineType_HasTheProtocolNames(string engineType, string waiting, string running, string kv)
    {
        var names = EngineMetricNames.Defaults[engineType];

        Assert.Equal(waiting, names.Waiting.ToString());
        Assert.Equal(running, names.Running.ToString());
        Assert.Equal(kv, names.KvCacheUsage.ToString());
    }

    [Fact]
    public void Defaults_OptionalFamilies_AreVllmAndSglangOnly()
    {
        Assert.Equal(["sglang", "triton-tensorrt-llm", "trtllm-serve", "vllm"], EngineMetricNames.Defaults.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(new MetricSelector("vllm:gpu_cache_usage_perc"), EngineMetricNames.Vllm.KvCacheUsageFallback);
        Assert.Equal("vllm:lora_requests_info", EngineMetricNames.Vllm.LoraInfo);
        Assert.Equal(new CacheConfigNames("vllm:cache_config_info", "block_size", "num_gpu_blocks"), EngineMetricNames.Vllm.CacheConfig);
        Assert.Equal(new CacheConfigNames("sglang:cache_config_info", "page_size", "num_pages"), EngineMetricNames.Sglang.CacheConfig);
        Assert.Null(EngineMetricNames.Sglang.LoraInfo);
        Assert.Null(EngineMetricNames.Sglang.KvCacheUsageFallback);
        Assert.Null(EngineMetricNames.TrtllmServe.CacheConfig);
        Assert.Null(EngineMetricNames.TritonTensorRtLlm.LoraInfo);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Resolve_NoEngineType_ReturnsVllmWithoutAFallbackFlag(string? engineType)
    {
        var resolved = EngineMetricsCatalog.Default.Resolve(engineType);

        Assert.Same(EngineMetricNames.Vllm, resolved.Names);
        Assert.False(resolved.IsFallback);
        Assert.Null(resolved.FallbackReason);
    }

    [Fact]
    public void Resolve_UnknownEngineType_ReturnsVllmFlaggedWithAReason()
    {
        var resolved = EngineMetricsCatalog.Default.Resolve("tgi");

        Assert.Same(EngineMetricNames.Vllm, resolved.Names);
        Assert.Same(EngineMetricsCatalog.Default.Resolve("vllm").Scanner, resolved.Scanner);
        Assert.True(resolved.IsFallback);
        Assert.Equal("tgi", resolved.UnknownEngineType);
        Assert.Equal("engine type 'tgi' has no metric names (built in or under Collector:Engines); reading it with vllm's", resolved.FallbackReason);
    }

    [Fact]
    public void Resolve_EngineTypeInAnotherCase_FindsItsNames()
    {
        var resolved = EngineMetricsCatalog.Default.Resolve("SGLang");

        Assert.Same(EngineMetricNames.Sglang, resolved.Names);
        Assert.Same(EngineMetricNames.Sglang, resolved.Scanner.Names);
        Assert.False(resolved.IsFallback);
    }

    [Fact]
    public void TryCreate_OneOverriddenFamily_KeepsTheOtherDefaults()
    {
        var options = Options("vllm", new EngineMetricNamesOptions { Waiting = "vllm:num_requests_queued" });

        Assert.True(EngineMetricsCatalog.TryCreate(options, out var catalog, out var problems), string.Join("; ", problems));

        Assert.Equal(EngineMetricNames.Vllm with { Waiting = new MetricSelector("vllm:num_requests_queued") }, catalog.Resolve("vllm").Names);
        Assert.Same(EngineMetricNames.Sglang, catalog.Resolve("sglang").Names);
    }

    [Fact]
    public void TryCreate_OverrideWithALabelFilter_ParsesTheFilter()
    {
        var options = Options("triton-tensorrt-llm", new EngineMetricNamesOptions { Waiting = "nv_trt_llm_request_metrics{request_type=\"queued \\\"q\\\"\"}" });

        Assert.True(EngineMetricsCatalog.TryCreate(options, out var catalog, out _));

        Assert.Equal(
            new MetricSelector("nv_trt_llm_request_metrics", new LabelFilter("request_type", "queued \"q\"")),
            catalog.Resolve("triton-tensorrt-llm").Names.Waiting);
    }

    [Fact]
    public void TryCreate_EmptyOptionalNames_ClearThem()
    {
        var options = Options("vllm", new EngineMetricNamesOptions { KvCacheUsageFallback = "", LoraInfo = "", CacheConfig = "" });

        Assert.True(EngineMetricsCatalog.TryCreate(options, out var catalog, out _));

        var names = catalog.Resolve("vllm").Names;
        Assert.Null(names.KvCacheUsageFallback);
        Assert.Null(names.LoraInfo);
        Assert.Null(names.CacheConfig);
        Assert.Equal(
            "the page has no vllm:kv_cache_usage_perc series",
            catalog.Resolve("vllm").Scanner.Parse("vllm:num_requests_waiting 1\nvllm:num_requests_running 1\nvllm:gpu_cache_usage_perc 0.5\n"u8).Error);
    }

    [Fact]
    public void TryCreate_NewEngineType_ScansWithItsOwnNames()
    {
        var options = Options("my-engine", new EngineMetricNamesOptions
        {
            Waiting = "queue_depth",
            Running = "batch{state=\"running\"}",
            KvCacheUsage = "kv_fraction",
            CacheConfig = "kv_geometry",
            BlockSizeLabel = "tokens_per_block",
            BlockCountLabel = "blocks",
        });

        Assert.True(EngineMetricsCatalog.TryCreate(options, out var catalog, out _));
        var resolved = catalog.Resolve("my-engine");
        var scraped = Parse(
            "queue_depth 2\nbatch{state=\"idle\"} 7\nbatch{state=\"running\"} 5\nkv_fraction 0.25\nkv_geometry{blocks=\"900\",tokens_per_block=\"32\"} 1\n",
            resolved.Names);

        Assert.False(resolved.IsFallback);
        Assert.Null(resolved.Names.LoraInfo);
        Assert.Null(resolved.Names.KvCacheUsageFallback);
        Assert.Equal((2, 5, 0.25, 32, 900), (scraped.Waiting, scraped.Running, scraped.KvCacheUsage, scraped.BlockSize!.Value, scraped.BlockCount!.Value));
    }

    [Fact]
    public void TryCreate_NewEngineTypeMissingRequiredNames_NamesEachKey()
    {
        var options = Options("my-engine", new EngineMetricNamesOptions { Waiting = "queue_depth", CacheConfig = "kv_geometry" });

        Assert.False(EngineMetricsCatalog.TryCreate(options, out var catalog, out var problems));

        Assert.Null(catalog);
        Assert.Equal(
            [
                "Collector:Engines:my-engine:Running must be set: the engine type has no built-in names",
                "Collector:Engines:my-engine:KvCacheUsage must be set: the engine type has no built-in names",
                "Collector:Engines:my-engine:BlockSizeLabel must be set when CacheConfig is",
                "Collector:Engines:my-engine:BlockCountLabel must be set when CacheConfig is",
            ],
            problems);
    }

    [Theory]
    [InlineData("Running", "vllm num running", "Collector:Engines:vllm:Running 'vllm num running' is not a valid Prometheus metric name")]
    [InlineData("Waiting", "9vllm", "Collector:Engines:vllm:Waiting '9vllm' is not a valid Prometheus metric name")]
    [InlineData("Waiting", "", "Collector:Engines:vllm:Waiting must not be empty")]
    [InlineData("KvCacheUsageFallback", "gpu-cache", "Collector:Engines:vllm:KvCacheUsageFallback 'gpu-cache' is not a valid Prometheus metric name")]
    [InlineData("LoraInfo", "lora info", "Collector:Engines:vllm:LoraInfo 'lora info' is not a valid Prometheus metric name")]
    [InlineData("CacheConfig", "cache{a=\"b\"}", "Collector:Engines:vllm:CacheConfig 'cache{a=\"b\"}' is not a valid Prometheus metric name")]
    [InlineData("BlockSizeLabel", "block-size", "Collector:Engines:vllm:BlockSizeLabel 'block-size' is not a valid Prometheus label name")]
    public void TryCreate_InvalidName_ReportsItsKey(string property, string value, string problem)
    {
        var overrides = new EngineMetricNamesOptions();
        typeof(EngineMetricNamesOptions).GetProperty(property)!.SetValue(overrides, value);

        Assert.False(EngineMetricsCatalog.TryCreate(Options("vllm", overrides), out _, out var problems));

        Assert.Equal([problem], problems);
    }

    [Theory]
    [InlineData("m{request_type=~\"wait.*\"}")]
    [InlineData("m{request_type!=\"waiting\"}")]
    [InlineData("m{a=\"1\",b=\"2\"}")]
    [InlineData("m{a=waiting}")]
    [InlineData("m{a=\"waiting\"")]
    [InlineData("m{a=\"wait\"ing\"}")]
    [InlineData("m{a=\"bad \\t escape\"}")]
    [InlineData("m{}")]
    [InlineData("m{1a=\"x\"}")]
    public void TryCreate_UnsupportedLabelFilter_IsRejectedNamingTheKey(string selector)
    {
        var options = Options("triton-tensorrt-llm", new EngineMetricNamesOptions { Waiting = selector });

        Assert.False(EngineMetricsCatalog.TryCreate(options, out _, out var problems));

        Assert.Equal(
            [$"Collector:Engines:triton-tensorrt-llm:Waiting '{selector}' has an unsupported label filter (only one {{label=\"value\"}} is understood)"],
            problems);
    }

    [Fact]
    public void MetricSelector_ToString_EscapesTheFilterValueAsAPageWould()
    {
        var selector = new MetricSelector("m", new LabelFilter("l", "a\"b\\c\nd"));

        Assert.Equal("m{l=\"a\\\"b\\\\c\\nd\"}", selector.ToString());
    }

    [Fact]
    public void AddEngineMetricNames_ConfiguredOverride_ReachesTheCatalog()
    {
        using var provider = Services(new()
        {
            ["Collector:Engines:sglang:Waiting"] = "sglang:num_waiting_reqs",
            ["Collector:Engines:tgi:Waiting"] = "tgi_queue_size",
            ["Collector:Engines:tgi:Running"] = "tgi_batch_current_size",
            ["Collector:Engines:tgi:KvCacheUsage"] = "tgi_kv_fraction",
        });

        var catalog = provider.GetRequiredService<EngineMetricsCatalog>();

        Assert.Equal("sglang:num_waiting_reqs", catalog.Resolve("sglang").Names.Waiting.Family);
        Assert.Equal("sglang:num_running_reqs", catalog.Resolve("sglang").Names.Running.Family);
        Assert.False(catalog.Resolve("tgi").IsFallback);
        Assert.Equal("tgi_kv_fraction", catalog.Resolve("tgi").Names.KvCacheUsage.Family);
    }

    [Fact]
    public void AddEngineMetricNames_InvalidName_FailsStartUpValidation()
    {
        using var provider = Services(new()
        {
            ["Collector:Engines:vllm:Running"] = "vllm num running",
            ["Collector:Engines:sglang:BlockCountLabel"] = "num-pages",
        });

        var failure = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Equal(
            "Collector:Engines:sglang:BlockCountLabel 'num-pages' is not a valid Prometheus label name; "
            + "Collector:Engines:vllm:Running 'vllm num running' is not a valid Prometheus metric name",
            failure.Message);
    }

    [Fact]
    public void AddEngineMetricNames_MisspeltKey_FailsStartUpNamingIt()
    {
        using var provider = Services(new() { ["Collector:Engines:vllm:Wating"] = "vllm:num_requests_waiting" });

        var failure = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Equal(
            "Collector:Engines:vllm:Wating is not a setting; use one of "
            + "BlockCountLabel, BlockSizeLabel, CacheConfig, KvCacheUsage, KvCacheUsageFallback, LoraInfo, Running, Waiting",
            failure.Message);
    }

    private static EngineMetricsOptions Options(string engineType, EngineMetricNamesOptions overrides)
    {
        var options = new EngineMetricsOptions();
        options.Engines[engineType] = overrides;
        return options;
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddEngineMetricNames(configuration).BuildServiceProvider();
    }
}
