using System.Net;
using Suite.ModelSim.Faults;

namespace Suite.ModelSim.Tests.Http;

public class LoadAndFaultTests
{
    [Fact]
    public async Task WaitingQueueFull_Gets429_AndGaugesRiseThenFall()
    {
        await using var host = await SimulatorHost.StartAsync(engine: p => p with { MaxWaiting = 2 }, faults: new FaultSettings { Paused = true });
        object Request() => new { model = "sim/tiny", prompt = "Summarise the report", max_tokens = 3, ignore_eos = true };
        var held = new[] { host.Client.PostAsync("/v1/completions", SimulatorHost.Json(Request())), host.Client.PostAsync("/v1/completions", SimulatorHost.Json(Request())) };
        await SimulatorHost.EventuallyAsync(async () => await host.MetricAsync("vllm:num_requests_waiting") == 2, "two waiting requests");

        using var refused = await host.Client.PostAsync("/v1/completions", SimulatorHost.Json(Request()));
        host.Instances[0].Faults = new FaultSettings();
        var answers = await Task.WhenAll(held);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("RateLimitError", (await SimulatorHost.ReadJsonAsync(refused)).GetProperty("error").GetProperty("type").GetString());
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.Equal(0, await host.MetricAsync("vllm:num_requests_waiting"));
        Assert.Equal(0, await host.MetricAsync("vllm:num_requests_running"));
        Assert.Equal(0, await host.MetricAsync("vllm:kv_cache_usage_perc"));
        Assert.Equal(6, await host.MetricAsync("vllm:generation_tokens_total"));
    }

    [Fact]
    public async Task KvCacheGauge_RisesWhileRequestsRun()
    {
        // Slow decoding (50 ms a step) so the running requests are still there when /metrics is read.
        await using var host = await SimulatorHost.StartAsync(engine: p => p with { StepOverheadMs = 50 });
        var prompt = new string('x', 4 * 160);
        var running = Enumerable.Range(0, 3)
            .Select(i => host.Client.PostAsync("/v1/completions", SimulatorHost.Json(new { model = "sim/tiny", prompt = i + prompt, max_tokens = 40, ignore_eos = true })))
            .ToArray();

        await SimulatorHost.EventuallyAsync(async () => await host.MetricAsync("vllm:num_requests_running") == 3, "three running requests");
        var usage = await host.MetricAsync("vllm:kv_cache_usage_perc");
        await Task.WhenAll(running);

        Assert.InRange(usage, 3 * 11 / 512.0, 3 * 13 / 512.0); // 161–200 tokens each: 11 to 13 blocks of 16
        Assert.Equal(0, await host.MetricAsync("vllm:kv_cache_usage_perc"));
    }

    [Fact]
    public async Task ErrorRateFault_AnswersEveryRequestWith500()
    {
        await using var host = await SimulatorHost.StartAsync(faults: new FaultSettings { ErrorRate = 1 });

        using var response = await host.Client.PostAsync("/v1/completions", SimulatorHost.Json(new { model = "sim/tiny", prompt = "hi" }));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal(500, (await SimulatorHost.ReadJsonAsync(response)).GetProperty("error").GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task DieFault_DropsTheConnectionAfterTheConfiguredTokens()
    {
        await using var host = await SimulatorHost.StartAsync(faults: new FaultSettings { DieRate = 1, DieAfterTokens = 2 });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/completions")
        {
            Content = SimulatorHost.Json(new { model = "sim/tiny", prompt = "Stream for me", max_tokens = 20, ignore_eos = true, stream = true }),
        };

        using var response = await host.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var events = new List<string>();
        var failure = await Record.ExceptionAsync(async () =>
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                if (line.Length > 0)
                {
                    events.Add(line);
                }
            }
        });

        Assert.IsAssignableFrom<IOException>(failure);
        Assert.Equal(2, events.Count);
        await SimulatorHost.EventuallyAsync(async () => await host.MetricAsync("vllm:num_requests_running") == 0, "the dead stream's request leaving the engine");
    }

    [Fact]
    public async Task MetricsSilentFault_ScrapeNeverAnswers()
    {
        await using var host = await SimulatorHost.StartAsync(faults: new FaultSettings { MetricsSilent = true });
        using var impatient = new HttpClient { BaseAddress = host.Instances[0].Address, Timeout = TimeSpan.FromMilliseconds(300) };

        var failure = await Record.ExceptionAsync(() => impatient.GetStringAsync("/metrics"));

        Assert.IsType<TaskCanceledException>(failure);
    }

    [Fact]
    public async Task FaultsEndpoint_ChangesFaultsAtRunTime_AndRejectsBadValues()
    {
        await using var host = await SimulatorHost.StartAsync();

        using var bad = await host.Client.PutAsync("/sim/faults", SimulatorHost.Json(new { errorRate = 2 }));
        using var unknown = await host.Client.PutAsync("/sim/faults", SimulatorHost.Json(new { errorRat = 1 }));
        using var good = await host.Client.PutAsync("/sim/faults", SimulatorHost.Json(new { errorRate = 1 }));
        using var failing = await host.Client.PostAsync("/v1/completions", SimulatorHost.Json(new { model = "sim/tiny", prompt = "hi" }));

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        Assert.Equal(1, host.Instances[0].Faults.ErrorRate);
        Assert.Equal(HttpStatusCode.InternalServerError, failing.StatusCode);
    }

    [Fact]
    public async Task ClientGone_RequestLeavesTheEngineAsAborted()
    {
        await using var host = await SimulatorHost.StartAsync(engine: p => p with { StepOverheadMs = 50 });
        // Without draining: by default HttpClient tries to read the rest of an abandoned response to reuse the
        // connection, so when it closes depends on a drain timer; the test wants the connection gone at once.
        using (var client = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 }) { BaseAddress = host.Instances[0].Address })
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/v1/completions"))
        {
            request.Content = SimulatorHost.Json(new { model = "sim/tiny", prompt = "long one", max_tokens = 1000, ignore_eos = true, stream = true });
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            Assert.StartsWith("data: ", await reader.ReadLineAsync(), StringComparison.Ordinal);
        } // the client leaves mid-stream

        await SimulatorHost.EventuallyAsync(async () => await host.MetricAsync("vllm:num_requests_running") == 0, "the request cancelled");
        Assert.Equal(1, await host.MetricAsync("vllm:request_success_total", "finished_reason=\"abort\""));
    }
}
