using System.Diagnostics;
using System.Text.Json;
using Suite.ModelSim.Metrics;

namespace Suite.ModelSim.Tests.Http;

/// <summary>
/// The scrape is read back with the official Prometheus Python client's text parser
/// (<c>prometheus_client.parser</c>, Debian package python3-prometheus-client), not with our own code. Without
/// that package these tests are skipped, unless <c>MODELSIM_REQUIRE_PROMETHEUS_PARSER=1</c> (set by .ci/run) makes
/// a missing parser a failure.
/// </summary>
public class MetricsFormatTests
{
    private const string Python = "/usr/bin/python3";

    private const string ParseScript = """
        import json, sys
        from prometheus_client.parser import text_string_to_metric_families
        families = []
        for f in text_string_to_metric_families(sys.stdin.read()):
            families.append({"name": f.name, "type": f.type,
                             "samples": [{"name": s.name, "labels": s.labels, "value": s.value} for s in f.samples]})
        print(json.dumps(families))
        """;

    [SkippableFact]
    public async Task Metrics_VllmFormat_ParsesWithThePrometheusParserWithVllmNamesAndLabels()
    {
        await using var host = await SimulatorHost.StartAsync();
        using var _ = await host.Client.PostAsync("/v1/completions", SimulatorHost.Json(new { model = "sql-lora", prompt = "SELECT 1", max_tokens = 2, ignore_eos = true }));

        var families = await ParseAsync(await host.Client.GetStringAsync("/metrics"));

        Assert.Equal(
            new Dictionary<string, string>
            {
                ["vllm:num_requests_running"] = "gauge",
                ["vllm:num_requests_waiting"] = "gauge",
                ["vllm:kv_cache_usage_perc"] = "gauge",
                ["vllm:lora_requests_info"] = "gauge",
                ["vllm:cache_config_info"] = "gauge",
                ["vllm:num_preemptions"] = "counter",
                ["vllm:prefix_cache_queries"] = "counter",
                ["vllm:prefix_cache_hits"] = "counter",
                ["vllm:prompt_tokens"] = "counter",
                ["vllm:generation_tokens"] = "counter",
                ["vllm:request_success"] = "counter",
                ["vllm:time_to_first_token_seconds"] = "histogram",
                ["vllm:time_per_output_token_seconds"] = "histogram",
                ["vllm:e2e_request_latency_seconds"] = "histogram",
                ["vllm:request_queue_time_seconds"] = "histogram",
            },
            families.ToDictionary(f => f.GetProperty("name").GetString()!, f => f.GetProperty("type").GetString()!));
        var running = Sample(families, "vllm:num_requests_running");
        Assert.Equal(
            [("model_name", "sim/tiny"), ("engine", "0")],
            running.GetProperty("labels").EnumerateObject().Select(p => (p.Name, p.Value.GetString())));
        var lora = Sample(families, "vllm:lora_requests_info").GetProperty("labels");
        Assert.Equal(("2", "", ""), (lora.GetProperty("max_lora").GetString(), lora.GetProperty("running_lora_adapters").GetString(), lora.GetProperty("waiting_lora_adapters").GetString()));
        var cache = Sample(families, "vllm:cache_config_info").GetProperty("labels");
        Assert.Equal(("16", "512"), (cache.GetProperty("block_size").GetString(), cache.GetProperty("num_gpu_blocks").GetString()));
        Assert.Equal(2, Sample(families, "vllm:generation_tokens_total").GetProperty("value").GetDouble());
        Assert.Equal(1, Sample(families, "vllm:time_to_first_token_seconds_count").GetProperty("value").GetDouble());
    }

    [SkippableFact]
    public async Task Metrics_SglangFormat_ParsesWithSglangNames()
    {
        await using var host = await SimulatorHost.StartAsync(fleet: f => f.MetricsFormat = MetricsFormat.Sglang);

        var families = await ParseAsync(await host.Client.GetStringAsync("/metrics"));

        var names = families.Select(f => f.GetProperty("name").GetString()).ToHashSet();
        Assert.Superset(new HashSet<string?> { "sglang:num_queue_reqs", "sglang:num_running_reqs", "sglang:token_usage", "sglang:cache_config_info" }, names);
        Assert.DoesNotContain(names, n => n!.StartsWith("vllm:", StringComparison.Ordinal));
        var cache = Sample(families, "sglang:cache_config_info").GetProperty("labels");
        Assert.Equal(("16", "512"), (cache.GetProperty("page_size").GetString(), cache.GetProperty("num_pages").GetString()));
    }

    private static JsonElement Sample(JsonElement[] families, string sampleName) =>
        families.SelectMany(f => f.GetProperty("samples").EnumerateArray()).First(s => s.GetProperty("name").GetString() == sampleName);

    private static async Task<JsonElement[]> ParseAsync(string metrics)
    {
        var required = Environment.GetEnvironmentVariable("MODELSIM_REQUIRE_PROMETHEUS_PARSER") == "1";
        var available = File.Exists(Python) && await RunAsync("import prometheus_client", "") is (0, _);
        Skip.If(!available && !required, "python3-prometheus-client is not installed (apt-get install python3-prometheus-client)");
        Assert.True(available, "MODELSIM_REQUIRE_PROMETHEUS_PARSER=1 but /usr/bin/python3 cannot import prometheus_client");

        var (exit, output) = await RunAsync(ParseScript, metrics);
        Assert.True(exit == 0, "the Prometheus parser rejected the scrape: " + output);
        return [.. JsonDocument.Parse(output).RootElement.EnumerateArray()];
    }

    private static async Task<(int Exit, string Output)> RunAsync(string script, string input)
    {
        var start = new ProcessStartInfo(Python) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }
}
