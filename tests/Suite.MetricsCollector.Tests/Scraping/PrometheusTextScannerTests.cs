using Suite.MetricsCollector.Scraping;
using static Suite.MetricsCollector.Tests.Scraping.Pages;

namespace Suite.MetricsCollector.Tests.Scraping;

public sealed class PrometheusTextScannerTests
{
    [Fact]
    public void Parse_SeriesWithoutLabels_ReadsTheRequiredFamilies()
    {
        var scraped = Parse(RequiredVllm);

        Assert.Null(scraped.Error);
        Assert.Equal(3, scraped.Waiting);
        Assert.Equal(2, scraped.Running);
        Assert.Equal(0.5, scraped.KvCacheUsage);
        Assert.Null(scraped.ModelName);
        Assert.Equal(0, scraped.MaxLora);
        Assert.Empty(scraped.RunningAdapters);
        Assert.Empty(scraped.WaitingAdapters);
        Assert.Null(scraped.BlockSize);
        Assert.Null(scraped.BlockCount);
    }

    [Fact]
    public void Parse_LabelValuesWithCommasAndEscapes_UnescapesTheModelName()
    {
        var page = """
            vllm:num_requests_waiting{note="a,b=\"c\",d",model_name="org/m, \"v2\" \\ beta\nline",engine="0"} 4
            vllm:num_requests_running{note="}{,",engine="0"} 1
            vllm:kv_cache_usage_perc{engine="0"} 0.25
            """;

        var scraped = Parse(page);

        Assert.Null(scraped.Error);
        Assert.Equal("org/m, \"v2\" \\ beta\nline", scraped.ModelName);
        Assert.Equal(4, scraped.Waiting);
        Assert.Equal(1, scraped.Running);
    }

    [Fact]
    public void Parse_LabelsWithBlanksAndATrailingComma_AreAccepted()
    {
        var page = "vllm:num_requests_waiting { model_name = \"m\" ,\tengine=\"0\", } 5\n" + RequiredVllm[RequiredVllm.IndexOf('\n', StringComparison.Ordinal)..];

        var scraped = Parse(page);

        Assert.Null(scraped.Error);
        Assert.Equal(5, scraped.Waiting);
        Assert.Equal("m", scraped.ModelName);
    }

    [Fact]
    public void Parse_TimestampsAfterValues_AreIgnored()
    {
        var page = """
            vllm:num_requests_waiting{model_name="m"} 7 1712345678901
            vllm:num_requests_running 1 -5
            vllm:kv_cache_usage_perc 0.125 1712345678901
            """;

        var scraped = Parse(page);

        Assert.Null(scraped.Error);
        Assert.Equal(7, scraped.Waiting);
        Assert.Equal(1, scraped.Running);
        Assert.Equal(0.125, scraped.KvCacheUsage);
    }

    [Fact]
    public void Parse_ValuesInExponentForm_AreRead()
    {
        var page = """
            vllm:num_requests_waiting 1.2e+01
            vllm:num_requests_running 3E0
            vllm:kv_cache_usage_perc 2.5e-1
            """;

        var scraped = Parse(page);

        Assert.Null(scraped.Error);
        Assert.Equal(12, scraped.Waiting);
        Assert.Equal(3, scraped.Running);
        Assert.Equal(0.25, scraped.KvCacheUsage);
    }

    [Fact]
    public void Parse_NaNAndInfinitiesInOtherFamilies_AreIgnored()
    {
        var page = """
            vllm:e2e_request_latency_seconds_bucket{le="+Inf",model_name="m"} 4.0
            vllm:e2e_request_latency_seconds_sum{model_name="m"} NaN
            vllm:spec_decode_efficiency{model_name="m"} -Inf
            vllm:num_requests_waiting 0
            vllm:num_requests_running 0
            vllm:kv_cache_usage_perc 0.0
            """;

        var scraped = Parse(page);

        Assert.Null(scraped.Error);
        Assert.Equal(0, scraped.KvCacheUsage);
    }

    [Theory]
    [InlineData("NaN", "NaN")]
    [InlineData("nan", "NaN")]
    [InlineData("+Inf", "+Inf")]
    [InlineData("Inf", "+Inf")]
    [InlineData("-Inf", "-Inf")]
    public void Parse_NonFiniteKvCacheUsage_ReturnsAnErrorNamingTheLine(string value, string shown)
    {
        var page = RequiredVllm.Replace("vllm:kv_cache_usage_perc 0.5", "vllm:kv_cache_usage_perc " + value, StringComparison.Ordinal);

        var scraped = Parse(page);

        Assert.Equal($"line 3: the value of vllm:kv_cache_usage_perc is {shown}; KV-cache use must be a finite number", scraped.Error);
    }

    [Fact]
    public void Parse_NonFiniteWaiting_ReturnsAnError()
    {
        var page = RequiredVllm.Replace("vllm:num_requests_waiting 3", "vllm:num_requests_waiting +Inf", StringComparison.Ordinal);

        var scraped = Parse(page);

        Assert.Equal("line 1: the value of vllm:num_requests_waiting is +Inf; a request count must be a finite number", scraped.Error);
    }

    [Fact]
    public void Parse_CrlfLineEndings_ReadsTheSameValues()
    {
        var page = "# HELP vllm:num_requests_waiting Number of requests waiting.\r\n# TYPE vllm:num_requests_waiting gauge\r\n"
            + "vllm:num_requests_waiting{model_name=\"m\"} 6\r\n\r\nvllm:num_requests_running{model_name=\"m\"} 2 1712345678901\r\n"
            + "vllm:kv_cache_usage_perc{model_name=\"m\"} 0.75\r\n";

        var scraped = Parse(page);

        Assert.Null(scraped.Error);
        Assert.Equal(6, scraped.Waiting);
        Assert.Equal(2, scraped.Running);
        Assert.Equal(0.75, scraped.KvCacheUsage);
        Assert.Equal("m", scraped.ModelName);
    }

    [Fact]
    public void Parse_MalformedLineWithCrlf_ReportsItsLineWithoutTheCarriageReturn()
    {
        var page = "# TYPE vllm:num_requests_waiting gauge\r\nvllm:num_requests_waiting 1\r\n\r\nvllm:num_requests_running 3x\r\n";

        var scraped = Parse(page);

        Assert.Equal("line 4: the value of vllm:num_requests_running is not a number: '3x'", scraped.Error);
    }

    [Fact]
    public void Parse_TrailingSpacesAndEmptyLines_AreIgnored()
    {
        var page = "   \n\nvllm:num_requests_waiting 3   \t\n\n\nvllm:num_requests_running{engine=\"0\"}  2 \n \t \nvllm:kv_cache_usage_perc 0.5   \n\n";

        var scraped = Parse(page);

        Assert.Null(scraped.Error);
        Assert.Equal(3, scraped.Waiting);
        Assert.Equal(2, scraped.Running);
        Assert.Equal(0.5, scraped.KvCacheUsage);
    }

    [Fact]
    public void Parse_NoFinalNewline_ReadsTheLastLine()
    {
        var page = "vllm:num_requests_waiting 3\nvllm:num_requests_running 2\nvllm:kv_cache_usage_perc 0.875";

        var scraped = Parse(page);

        Assert.Null(scraped.Error);
        Assert.Equal(0.875, scraped.KvCacheUsage);
    }

    [Fact]
    public void Parse_MalformedLastLineWithoutNewline_ReportsItsLine()
    {
        var page = "vllm:num_requests_waiting 3\nvllm:num_requests_running 2\nvllm:kv_cache_usage_perc{engine=\"0\"}";

        var scraped = Parse(page);

        Assert.Equal("line 3: expected a value after the labels of vllm:kv_cache_usage_perc", scraped.Error);
    }

    [Theory]
    [InlineData("vllm:num_requests_waiting{model_name=\"m} 1", "line 2: unterminated value of label model_name of vllm:num_requests_waiting")]
    [InlineData("vllm:num_requests_waiting{model_name=\"m\\\"} 1", "line 2: unterminated value of label model_name of vllm:num_requests_waiting")]
    [InlineData("vllm:num_requests_waiting{model_name=\"m\"}", "line 2: expected a value after the labels of vllm:num_requests_waiting")]
    [InlineData("vllm:num_requests_waiting", "line 2: expected a value after vllm:num_requests_waiting")]
    [InlineData("vllm:num_requests_waiting{engine=\"0\"} 3x", "line 2: the value of vllm:num_requests_waiting is not a number: '3x'")]
    [InlineData("vllm:num_requests_waiting 1,5", "line 2: the value of vllm:num_requests_waiting is not a number: '1,5'")]
    [InlineData("vllm:num_requests_waiting 1 soon", "line 2: the timestamp of vllm:num_requests_waiting is not a whole number of milliseconds: 'soon'")]
    [InlineData("vllm:num_requests_waiting 1 1712345678901 extra", "line 2: unexpected text after the timestamp of vllm:num_requests_waiting: 'extra'")]
    [InlineData("vllm:num_requests_waiting{model_name=\"a\\tb\"} 1", "line 2: invalid escape sequence '\\t' in the value of label model_name of vllm:num_requests_waiting")]
    [InlineData("vllm:num_requests_waiting{model_name \"m\"} 1", "line 2: expected '=' after label model_name of vllm:num_requests_waiting")]
    [InlineData("vllm:num_requests_waiting{model_name=m} 1", "line 2: expected a quoted value for label model_name of vllm:num_requests_waiting")]
    [InlineData("vllm:num_requests_waiting{model_name=\"m\"", "line 2: the labels of vllm:num_requests_waiting are not closed with '}'")]
    [InlineData("vllm:num_requests_waiting{a=\"1\" b=\"2\"} 1", "line 2: expected ',' or '}' after the value of label a of vllm:num_requests_waiting")]
    [InlineData("vllm:num_requests_waiting{1a=\"x\"} 1", "line 2: expected a label name in the labels of vllm:num_requests_waiting")]
    public void Parse_MalformedLineOfATrackedFamily_ReturnsTheExactError(string line, string error)
    {
        var page = "# TYPE vllm:num_requests_waiting gauge\n" + line + "\n" + RequiredVllm;

        var scraped = Parse(page);

        Assert.Equal(error, scraped.Error);
        Assert.False(scraped.Succeeded);
    }

    [Fact]
    public void Parse_MalformedLinesOfOtherFamilies_AreSkipped()
    {
        var page = """
            vllm:prompt_tokens_total{model_name="m} 1
            some_metric{a=b} zzz
            vllm:num_requests_waiting_by_reason
            # a comment with "quotes and {braces
            """ + "\n" + RequiredVllm;

        var scraped = Parse(page);

        Assert.Null(scraped.Error);
        Assert.Equal(3, scraped.Waiting);
    }

    [Fact]
    public void Parse_NamesThatOnlyStartWithATrackedFamily_AreNotCounted()
    {
        var page = """
            vllm:num_requests_waiting_by_reason{reason="capacity"} 9
            vllm:num_requests_waiting_total 11
            vllm:num_requests_runningx 40
            """ + "\n" + RequiredVllm;

        var scraped = Parse(page);

        Assert.Equal(3, scraped.Waiting);
        Assert.Equal(2, scraped.Running);
    }

    [Theory]
    [InlineData("vllm:num_requests_waiting 3\n", "the page has no vllm:num_requests_waiting series")]
    [InlineData("vllm:num_requests_running 2\n", "the page has no vllm:num_requests_running series")]
    [InlineData("vllm:kv_cache_usage_perc 0.5\n", "the page has no vllm:kv_cache_usage_perc series (nor vllm:gpu_cache_usage_perc)")]
    public void Parse_RequiredFamilyMissing_ReturnsAnErrorNamingIt(string dropped, string error)
    {
        var page = RequiredVllm.Replace(dropped, "", StringComparison.Ordinal);

        var scraped = Parse(page);

        Assert.Equal(error, scraped.Error);
    }

    [Fact]
    public void Parse_EmptyPage_ReportsTheFirstMissingFamily()
    {
        var scraped = Parse("");

        Assert.Equal("the page has no vllm:num_requests_waiting series", scraped.Error);
    }

    [Fact]
    public void Parse_OnlyTheOlderGpuCacheUsagePerc_ReadsKvUseFromIt()
    {
        var page = """
            vllm:num_requests_waiting{model_name="m"} 1
            vllm:num_requests_running{model_name="m"} 1
            vllm:gpu_cache_usage_perc{model_name="m"} 0.375
            """;

        var scraped = Parse(page);

        Assert.Null(scraped.Error);
        Assert.Equal(0.375, scraped.KvCacheUsage);
    }

    [Fact]
    public void Parse_BothKvFamilies_PrefersKvCacheUsagePerc()
    {
        var page = "vllm:gpu_cache_usage_perc 0.9\n" + RequiredVllm;

        var scraped = Parse(page);

        Assert.Equal(0.5, scraped.KvCacheUsage);
    }

    [Fact]
    public void Parse_NaNInAnUnusedFallback_IsIgnored()
    {
        var page = "vllm:gpu_cache_usage_perc NaN\n" + RequiredVllm;

        var scraped = Parse(page);

        Assert.Null(scraped.Error);
        Assert.Equal(0.5, scraped.KvCacheUsage);
    }

    [Fact]
    public void Parse_NaNInTheFallbackInUse_ReturnsAnErrorNamingItsLine()
    {
        var page = """
            vllm:num_requests_waiting 1
            vllm:num_requests_running 1
            vllm:gpu_cache_usage_perc NaN
            """;

        var scraped = Parse(page);

        Assert.Equal("line 3: the value of vllm:gpu_cache_usage_perc is NaN; KV-cache use must be a finite number", scraped.Error);
    }

    [Fact]
    public void Parse_SeveralEngineSeries_SumsTheCountsAndTakesTheLargestKvUse()
    {
        var page = """
            vllm:num_requests_waiting{model_name="first",engine="0"} 1
            vllm:num_requests_waiting{model_name="second",engine="1"} 2
            vllm:num_requests_waiting{engine="2"} 4
            vllm:num_requests_running{model_name="first",engine="0"} 3
            vllm:num_requests_running{model_name="second",engine="1"} 0
            vllm:num_requests_running{engine="2"} 5
            vllm:kv_cache_usage_perc{model_name="first",engine="0"} 0.2
            vllm:kv_cache_usage_perc{model_name="second",engine="1"} 0.7
            vllm:kv_cache_usage_perc{engine="2"} 0.4
            """;

        var scraped = Parse(page);

        Assert.Equal(7, scraped.Waiting);
        Assert.Equal(8, scraped.Running);
        Assert.Equal(0.7, scraped.KvCacheUsage);
        Assert.Equal("first", scraped.ModelName);
    }

    [Fact]
    public void Parse_ModelName_ComesFromTheFirstWaitingSeriesThatHasOne()
    {
        var page = """
            vllm:num_requests_running{model_name="running-model"} 1
            vllm:num_requests_waiting{engine="0"} 1
            vllm:num_requests_waiting{engine="1",model_name="waiting-model"} 1
            vllm:kv_cache_usage_perc 0.1
            """;

        var scraped = Parse(page);

        Assert.Equal("waiting-model", scraped.ModelName);
    }

    [Fact]
    public void Parse_SeveralLoraSeries_TakesTheOneWithTheLargestValue()
    {
        var page = """
            vllm:lora_requests_info{max_lora="2",running_lora_adapters="old",waiting_lora_adapters=""} 1.7523456e+09
            vllm:lora_requests_info{max_lora="4",running_lora_adapters="a,b",waiting_lora_adapters="c"} 1.7523461045e+09
            vllm:lora_requests_info{max_lora="3",running_lora_adapters="nan",waiting_lora_adapters="nan"} NaN
            vllm:lora_requests_info{max_lora="8",running_lora_adapters="older",waiting_lora_adapters="x"} 1.7523459e+09
            """ + "\n" + RequiredVllm;

        var scraped = Parse(page);

        Assert.Equal(4, scraped.MaxLora);
        Assert.Equal<string>(["a", "b"], scraped.RunningAdapters);
        Assert.Equal<string>(["c"], scraped.WaitingAdapters);
    }

    [Fact]
    public void Parse_LoraAdapterLists_DropEmptyEntriesAndUnescapeNames()
    {
        var page = """
            vllm:lora_requests_info{max_lora="4",running_lora_adapters=",a,,b\"q,",waiting_lora_adapters="x\\y"} 1.0
            """ + "\n" + RequiredVllm;

        var scraped = Parse(page);

        Assert.Equal<string>(["a", "b\"q"], scraped.RunningAdapters);
        Assert.Equal<string>(["x\\y"], scraped.WaitingAdapters);
    }

    [Fact]
    public void Parse_LoraSeriesWithNoAdapters_GivesEmptyLists()
    {
        var page = "vllm:lora_requests_info{max_lora=\"4\",running_lora_adapters=\"\",waiting_lora_adapters=\",\"} 1.0\n" + RequiredVllm;

        var scraped = Parse(page);

        Assert.Equal(4, scraped.MaxLora);
        Assert.Empty(scraped.RunningAdapters);
        Assert.Empty(scraped.WaitingAdapters);
    }

    [Fact]
    public void Parse_AdapterListLongerThanTheStackBuffer_DecodesEveryName()
    {
        var names = Enumerable.Range(0, 40).Select(i => $"team\\\\adapter-{i:00}").ToArray();
        var page = $"vllm:lora_requests_info{{max_lora=\"40\",running_lora_adapters=\"{string.Join(',', names)}\",waiting_lora_adapters=\"\"}} 1.0\n" + RequiredVllm;

        var scraped = Parse(page);

        Assert.Equal(Enumerable.Range(0, 40).Select(i => $"team\\adapter-{i:00}"), scraped.RunningAdapters);
    }

    [Fact]
    public void Parse_CacheConfigWithNoneForTheBlockCount_ReadsOnlyTheBlockSize()
    {
        var page = "vllm:cache_config_info{block_size=\"32\",num_cpu_blocks=\"None\",num_gpu_blocks=\"None\"} 1.0\n" + RequiredVllm;

        var scraped = Parse(page);

        Assert.Equal(32, scraped.BlockSize);
        Assert.Null(scraped.BlockCount);
    }
}
