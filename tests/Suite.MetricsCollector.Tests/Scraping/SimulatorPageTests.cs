extern alias ModelSim;

using ModelSim::Suite.ModelSim.Engine;
using ModelSim::Suite.ModelSim.Metrics;
using Suite.MetricsCollector.Scraping;
using static Suite.MetricsCollector.Tests.Scraping.Pages;

namespace Suite.MetricsCollector.Tests.Scraping;

/// <summary>Pages written by the model simulator's own exporter, in its vLLM and SGLang formats.</summary>
public sealed class SimulatorPageTests
{
    private static readonly DateTimeOffset Start = new(2025, 7, 12, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Parse_SimulatorVllmPage_ReadsTheEngineState()
    {
        var profile = Presets.Llama8BH100;
        var lora = new LoraSeriesHistory();
        // Three scrapes with different adapters leave three lora_requests_info series, the last one newest.
        MetricsText.Write(Snapshot(0, 0, 0, [], []), profile, MetricsFormat.Vllm, lora, Start);
        MetricsText.Write(Snapshot(1, 1, 0.1, ["sql-lora"], ["code-lora"]), profile, MetricsFormat.Vllm, lora, Start.AddSeconds(1));
        var page = MetricsText.Write(
            Snapshot(5, 3, 0.4375, ["code-lora", "sql-lora"], ["chat-lora"]), profile, MetricsFormat.Vllm, lora, Start.AddSeconds(2));

        var scraped = Parse(page);

        Assert.Null(scraped.Error);
        Assert.Equal(5, scraped.Waiting);
        Assert.Equal(3, scraped.Running);
        Assert.Equal(0.4375, scraped.KvCacheUsage);
        Assert.Equal("meta-llama/Llama-3.1-8B-Instruct", scraped.ModelName);
        Assert.Equal(4, scraped.MaxLora);
        Assert.Equal<string>(["code-lora", "sql-lora"], scraped.RunningAdapters);
        Assert.Equal<string>(["chat-lora"], scraped.WaitingAdapters);
        Assert.Equal(16, scraped.BlockSize);
        Assert.Equal(27_000, scraped.BlockCount);
    }

    [Fact]
    public void Parse_SimulatorVllmPageWithoutLora_ReportsNoLoraState()
    {
        var profile = Presets.Tiny with { MaxLoras = 0 };

        var scraped = Parse(MetricsText.Write(Snapshot(2, 1, 0.5, [], []), profile, MetricsFormat.Vllm, new LoraSeriesHistory(), Start));

        Assert.Null(scraped.Error);
        Assert.Equal(0, scraped.MaxLora);
        Assert.Empty(scraped.RunningAdapters);
        Assert.Equal("sim/tiny", scraped.ModelName);
        Assert.Equal(512, scraped.BlockCount);
    }

    [Fact]
    public void Parse_SimulatorSglangPage_ReadsTheEngineStateWithSglangNames()
    {
        var profile = Presets.Llama8BH100 with { ModelName = "Qwen/Qwen2.5-7B-Instruct", BlockSize = 1, NumGpuBlocks = 400_000 };
        var page = MetricsText.Write(Snapshot(7, 4, 0.625, [], []), profile, MetricsFormat.Sglang, new LoraSeriesHistory(), Start);

        var scraped = Parse(page, EngineMetricNames.Sglang);

        Assert.Null(scraped.Error);
        Assert.Equal(7, scraped.Waiting);
        Assert.Equal(4, scraped.Running);
        Assert.Equal(0.625, scraped.KvCacheUsage);
        Assert.Equal("Qwen/Qwen2.5-7B-Instruct", scraped.ModelName);
        Assert.Equal(0, scraped.MaxLora);
        Assert.Equal(1, scraped.BlockSize);
        Assert.Equal(400_000, scraped.BlockCount);
    }

    [Fact]
    public void Parse_SimulatorSglangPageWithVllmNames_ReportsTheMissingVllmFamily()
    {
        var page = MetricsText.Write(Snapshot(7, 4, 0.625, [], []), Presets.Tiny, MetricsFormat.Sglang, new LoraSeriesHistory(), Start);

        var scraped = Parse(page);

        Assert.Equal("the page has no vllm:num_requests_waiting series", scraped.Error);
    }

    private static EngineSnapshot Snapshot(int waiting, int running, double kv, string[] runningAdapters, string[] waitingAdapters)
    {
        // Some history in the counters and histograms, so the page has the lines a busy server shows.
        var telemetry = new EngineTelemetry { PromptTokens = 120_000, GenerationTokens = 48_000, PrefixCacheQueries = 90_000, PrefixCacheHits = 30_000 };
        foreach (var seconds in new[] { 0.004, 0.03, 0.2, 1.5 })
        {
            telemetry.TimeToFirstToken.Observe(seconds);
            telemetry.TimePerOutputToken.Observe(seconds / 10);
            telemetry.EndToEndLatency.Observe(seconds * 20);
            telemetry.QueueTime.Observe(seconds / 2);
        }

        return new EngineSnapshot(waiting, running, kv, runningAdapters, waitingAdapters, telemetry);
    }
}
