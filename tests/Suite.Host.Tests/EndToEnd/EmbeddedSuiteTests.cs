using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Suite.Host.Tests.EndToEnd;

/// <summary>
/// OpenAI requests through the local gateway of a running embedded suite: the gateway asks each pool's real picker
/// over ext_proc, and simulated vLLM pods answer.
/// </summary>
[Collection(EndToEndRunsAlone.Name)]
public sealed class EmbeddedSuiteTests(DemoSuiteFixture fixture) : IClassFixture<DemoSuiteFixture>
{
    private static readonly string[] SqlAdapters = ["sql-lora-v1", "sql-lora-v2"];

    private HttpClient Gateway => fixture.Gateway;

    [Fact]
    public async Task A_completion_reaches_a_pod_of_the_pool_that_serves_its_model()
    {
        using var response = await Gateway.SendAsync(Post("/v1/completions", """{"model":"chat","prompt":"Say hello","max_tokens":5}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (pod, picked) = ServedBy(response);
        Assert.StartsWith("chat-pool-", pod, StringComparison.Ordinal);
        Assert.Equal(PodAddress(pod, fixture.ChatPort), picked);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("sim/tiny", body.RootElement.GetProperty("model").GetString());
        Assert.Equal("text_completion", body.RootElement.GetProperty("object").GetString());
    }

    [Fact]
    public async Task A_streamed_chat_arrives_as_server_sent_events_from_a_pod_of_the_LoRA_pool()
    {
        using var request = Post(
            "/v1/chat/completions",
            """{"model":"sql-assistant","messages":[{"role":"user","content":"List tables"}],"max_tokens":6,"ignore_eos":true,"stream":true,"stream_options":{"include_usage":true}}""");
        using var response = await Gateway.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        var (pod, picked) = ServedBy(response);
        Assert.StartsWith("lora-pool-", pod, StringComparison.Ordinal);
        Assert.Equal(PodAddress(pod, fixture.LoraPort), picked);

        var events = (await response.Content.ReadAsStringAsync())
            .Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(e => e["data: ".Length..])
            .ToList();
        Assert.Equal("[DONE]", events[^1]);
        var chunks = events[..^1].Select(e => JsonDocument.Parse(e).RootElement).ToList();
        Assert.All(chunks, chunk => Assert.Contains(chunk.GetProperty("model").GetString(), SqlAdapters));
        var content = chunks.Where(c => c.GetProperty("choices").GetArrayLength() > 0)
            .Select(c => c.GetProperty("choices")[0].GetProperty("delta"))
            .Count(delta => delta.TryGetProperty("content", out var text) && text.GetString()!.Length > 0);
        Assert.Equal(6, content);
        Assert.Equal(6, chunks[^1].GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task The_canary_gets_about_a_tenth_of_the_requests()
    {
        const int Requests = 400;
        var models = new List<string>();
        for (var batch = 0; batch < Requests / 20; batch++)
        {
            var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
            {
                using var response = await Gateway.SendAsync(Post("/v1/completions", """{"model":"sql-assistant","prompt":"x","max_tokens":1}"""));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                return body.RootElement.GetProperty("model").GetString()!;
            }));
            models.AddRange(answers);
        }

        var canary = models.Count(model => model == "sql-lora-v2");
        Assert.Equal(Requests, canary + models.Count(model => model == "sql-lora-v1"));
        Assert.InRange(canary, 16, 64); // 40 expected; the bounds are four standard deviations of Binomial(400, 0.1)
    }

    [Fact]
    public async Task A_sheddable_request_gets_429_once_the_pool_is_saturated()
    {
        var watch = new SaturationWatch("chat-pool");
        using var subscription = fixture.Suite.Bus.Subscribe(Contracts.Messaging.SuiteTopics.PodState, watch);

        // Eight long generations per pod on a batch of two: six wait on each pod, past the saturation depth of five.
        using var flood = new CancellationTokenSource();
        var flooding = Enumerable.Range(0, 16)
            .Select(_ => Gateway.SendAsync(Post("/v1/completions", """{"model":"chat","prompt":"write a long story","max_tokens":3000,"ignore_eos":true}"""), flood.Token))
            .ToList();
        try
        {
            await watch.Saturated.WaitAsync(TimeSpan.FromSeconds(15));
            using var request = Post("/v1/completions", """{"model":"chat","prompt":"x","max_tokens":1}""");
            request.Headers.Add("x-gateway-inference-objective", "batch");
            using var response = await Gateway.SendAsync(request);

            Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
            using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal(429, error.RootElement.GetProperty("error").GetProperty("code").GetInt32());
        }
        finally
        {
            await flood.CancelAsync();
            foreach (var request in flooding)
            {
                try
                {
                    (await request).Dispose();
                }
                catch (TaskCanceledException)
                {
                    // cancelled on purpose: the flood only had to fill the pods
                }
            }
        }
    }

    [Fact]
    public async Task Usage_tokens_of_every_response_are_counted_on_the_metrics_page()
    {
        var before = await TokensAsync();
        long prompt = 0, completion = 0;
        for (var i = 0; i < 5; i++)
        {
            using var response = await Gateway.SendAsync(Post("/v1/completions", $$"""{"model":"chat","prompt":"count my tokens {{i}}","max_tokens":{{3 + i}},"ignore_eos":true}"""));
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var usage = body.RootElement.GetProperty("usage");
            prompt += usage.GetProperty("prompt_tokens").GetInt64();
            completion += usage.GetProperty("completion_tokens").GetInt64();
        }

        var after = await TokensAsync();
        Assert.Equal(3 + 4 + 5 + 6 + 7, completion);
        Assert.Equal((prompt, completion), (after.Prompt - before.Prompt, after.Completion - before.Completion));
    }

    private async Task<(long Prompt, long Completion)> TokensAsync()
    {
        using var metrics = new HttpClient();
        var page = await metrics.GetStringAsync(new Uri(fixture.Suite.MetricsAddress, "/metrics"));
        return (Counter(page, "prompt"), Counter(page, "completion"));

        static long Counter(string page, string type)
        {
            var line = page.Split('\n').SingleOrDefault(l => l.StartsWith("picker_tokens_total{", StringComparison.Ordinal) && l.Contains($"type=\"{type}\"", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
        }
    }

    /// <summary>The pod that answered (the simulator's <c>x-inference-pod</c>) and the address the picker chose for it.</summary>
    private static (string Pod, string Picked) ServedBy(HttpResponseMessage response)
    {
        var pod = response.Headers.GetValues("x-inference-pod").Single();
        var decision = response.Headers.GetValues("x-picker-decision").Single();
        var picked = decision.Split(' ')[0];
        Assert.StartsWith("picked=", picked, StringComparison.Ordinal);
        return (pod, picked["picked=".Length..]);
    }

    /// <summary>Simulated pod <c>{pool}-{i}</c> listens on 127.0.1.(i+1) at its pool's port.</summary>
    private static string PodAddress(string pod, int port) =>
        string.Create(CultureInfo.InvariantCulture, $"127.0.1.{int.Parse(pod[(pod.LastIndexOf('-') + 1)..], CultureInfo.InvariantCulture) + 1}:{port}");

    private static HttpRequestMessage Post(string path, string json) =>
        new(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
}
