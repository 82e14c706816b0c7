using System.Net;
using System.Text.Json;
using Suite.ModelSim.Tests.Engine;

namespace Suite.ModelSim.Tests.Http;

public class CompletionApiTests
{
    [Fact]
    public async Task Completions_NonStreaming_AnswersWithTextUsageAndThePod()
    {
        await using var host = await SimulatorHost.StartAsync();

        using var response = await host.Client.PostAsync(
            "/v1/completions", SimulatorHost.Json(new { model = "sim/tiny", prompt = EngineDriver.Text(40, seed: 1), max_tokens = 5, ignore_eos = true }));
        var body = await SimulatorHost.ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("sim-0", response.Headers.GetValues("x-inference-pod").Single());
        Assert.Equal("text_completion", body.GetProperty("object").GetString());
        Assert.Equal("sim/tiny", body.GetProperty("model").GetString());
        var choice = body.GetProperty("choices")[0];
        Assert.Equal("length", choice.GetProperty("finish_reason").GetString());
        Assert.Equal(5, choice.GetProperty("text").GetString()!.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
        var usage = body.GetProperty("usage");
        Assert.Equal(40, usage.GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(5, usage.GetProperty("completion_tokens").GetInt32());
        Assert.Equal(45, usage.GetProperty("total_tokens").GetInt32());
        Assert.Equal(0, usage.GetProperty("prompt_tokens_details").GetProperty("cached_tokens").GetInt32());
    }

    [Fact]
    public async Task ChatCompletions_Streaming_SendsWellFormedEventsUsageAndDone()
    {
        await using var host = await SimulatorHost.StartAsync();

        using var response = await host.Client.PostAsync("/v1/chat/completions", SimulatorHost.Json(new
        {
            model = "sql-lora",
            messages = new object[] { new { role = "system", content = "You write SQL." }, new { role = "user", content = "List the tables." } },
            max_tokens = 4,
            ignore_eos = true,
            stream = true,
            stream_options = new { include_usage = true },
        }));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/event-stream; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.EndsWith("\n\n", text, StringComparison.Ordinal);
        var events = text[..^2].Split("\n\n");
        Assert.All(events, e => Assert.StartsWith("data: ", e, StringComparison.Ordinal));
        Assert.Equal("data: [DONE]", events[^1]);
        var chunks = events[..^1].Select(e => JsonDocument.Parse(e["data: ".Length..]).RootElement).ToArray();
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c.GetProperty("object").GetString()));
        Assert.Equal(1 + 4 + 1 + 1, chunks.Length); // role, four tokens, finish, usage
        Assert.Equal("assistant", chunks[0].GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString());
        Assert.All(chunks[1..5], c => Assert.False(string.IsNullOrEmpty(c.GetProperty("choices")[0].GetProperty("delta").GetProperty("content").GetString())));
        Assert.Equal("length", chunks[5].GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Equal(0, chunks[6].GetProperty("choices").GetArrayLength());
        Assert.Equal(4, chunks[6].GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.Single(chunks.Select(c => c.GetProperty("id").GetString()).Distinct());
    }

    [Fact]
    public async Task Completions_StreamingWithoutUsageOption_SendsNoUsageChunk()
    {
        await using var host = await SimulatorHost.StartAsync();

        using var response = await host.Client.PostAsync(
            "/v1/completions", SimulatorHost.Json(new { model = "sim/tiny", prompt = "Say three words", max_tokens = 3, ignore_eos = true, stream = true }));
        var events = (await response.Content.ReadAsStringAsync())[..^2].Split("\n\n");

        Assert.Equal(3 + 1 + 1, events.Length); // three tokens, finish, [DONE]
        Assert.DoesNotContain(events, e => e.Contains("\"usage\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Completions_WithoutIgnoreEos_StopsWithinMaxTokens()
    {
        await using var host = await SimulatorHost.StartAsync();
        var reasons = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            using var response = await host.Client.PostAsync(
                "/v1/completions", SimulatorHost.Json(new { model = "sim/tiny", prompt = "Tell me a story", max_tokens = 40 }));
            var body = await SimulatorHost.ReadJsonAsync(response);
            var tokens = body.GetProperty("usage").GetProperty("completion_tokens").GetInt32();
            var reason = body.GetProperty("choices")[0].GetProperty("finish_reason").GetString()!;
            Assert.InRange(tokens, 1, 40);
            Assert.Equal(tokens == 40 ? "length" : "stop", reason);
            reasons.Add(reason);
        }

        Assert.Contains("stop", reasons); // mean output 32 tokens: twenty requests cannot all reach 40
    }

    [Theory]
    [InlineData("{not json", 400, null)]
    [InlineData("[1,2]", 400, null)]
    [InlineData("""{"prompt":"hi"}""", 400, "model")]
    [InlineData("""{"model":"sim/tiny"}""", 400, "prompt")]
    [InlineData("""{"model":"sim/tiny","prompt":""}""", 400, "prompt")]
    [InlineData("""{"model":"sim/tiny","prompt":{"a":1}}""", 400, "prompt")]
    [InlineData("""{"model":"sim/tiny","prompt":"hi","max_tokens":0}""", 400, "max_tokens")]
    [InlineData("""{"model":"sim/tiny","prompt":"hi","max_tokens":"5"}""", 400, "max_tokens")]
    [InlineData("""{"model":"sim/tiny","prompt":"hi","n":2}""", 400, "n")]
    [InlineData("""{"model":"sim/tiny","prompt":"hi","stream_options":{"include_usage":true}}""", 400, "stream_options")]
    [InlineData("""{"model":"sim/tiny","prompt":"hi","max_tokens":5000}""", 400, "max_tokens")]
    [InlineData("""{"model":"gpt-4","prompt":"hi"}""", 404, "model")]
    public async Task Completions_BadRequest_GetsOpenAiErrorWithStatus(string body, int status, string? param)
    {
        await using var host = await SimulatorHost.StartAsync();

        using var response = await host.Client.PostAsync("/v1/completions", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var error = (await SimulatorHost.ReadJsonAsync(response)).GetProperty("error");

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(status, error.GetProperty("code").GetInt32());
        Assert.Equal(status == 404 ? "NotFoundError" : "BadRequestError", error.GetProperty("type").GetString());
        Assert.Equal(param, error.GetProperty("param").ValueKind == JsonValueKind.Null ? null : error.GetProperty("param").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task ChatCompletions_MessagesNotAList_Gets400()
    {
        await using var host = await SimulatorHost.StartAsync();

        using var response = await host.Client.PostAsync("/v1/chat/completions", SimulatorHost.Json(new { model = "sim/tiny", messages = "hi" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("messages", (await SimulatorHost.ReadJsonAsync(response)).GetProperty("error").GetProperty("param").GetString());
    }

    [Fact]
    public async Task Completions_RepeatedLongPrompt_IsCachedOnTheSameInstanceOnly()
    {
        await using var host = await SimulatorHost.StartAsync(instances: 2);
        var prompt = EngineDriver.Text(200, seed: 3);
        object Request() => new { model = "sim/tiny", prompt, max_tokens = 1 };

        async Task<int> CachedTokensAsync(HttpClient client)
        {
            using var response = await client.PostAsync("/v1/completions", SimulatorHost.Json(Request()));
            return (await SimulatorHost.ReadJsonAsync(response)).GetProperty("usage").GetProperty("prompt_tokens_details").GetProperty("cached_tokens").GetInt32();
        }

        var first = await CachedTokensAsync(host.Clients[0]);
        var again = await CachedTokensAsync(host.Clients[0]);
        var elsewhere = await CachedTokensAsync(host.Clients[1]);

        Assert.Equal((0, 192, 0), (first, again, elsewhere)); // 12 of 12.5 blocks; the last is always computed
        Assert.Equal(192, await host.MetricAsync("vllm:prefix_cache_hits_total"));
    }

    [Fact]
    public async Task Models_ListsTheBaseModelAndItsAdapters()
    {
        await using var host = await SimulatorHost.StartAsync();

        var body = JsonDocument.Parse(await host.Client.GetStringAsync("/v1/models")).RootElement;

        var models = body.GetProperty("data").EnumerateArray().Select(m => (m.GetProperty("id").GetString(), m.GetProperty("parent").ValueKind == JsonValueKind.Null ? null : m.GetProperty("parent").GetString())).ToArray();
        Assert.Equal([("sim/tiny", null), ("code-lora", "sim/tiny"), ("sql-lora", "sim/tiny")], models);
    }

    [Fact]
    public async Task Health_Answers200()
    {
        await using var host = await SimulatorHost.StartAsync();

        using var response = await host.Client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
