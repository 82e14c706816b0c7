using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Suite.Routing.Quality.Workload;

/// <summary>
/// Prompt text of a given token count (the simulator counts 4 characters a token) and the chat bodies that carry it.
/// Text is cut from one long seeded run of words, at an offset of the caller's choosing; a prompt that must share no
/// prefix with any other starts with a tag naming its run and index.
/// </summary>
internal sealed class PromptText
{
    public const int CharsPerToken = 4;

    private static readonly string[] Words =
    [
        "gateway", "pool", "model", "server", "token", "cache", "queue", "batch", "latency", "priority", "prefill",
        "decode", "request", "stream", "replica", "budget", "window", "signal", "margin", "capacity", "adapter",
        "prompt", "kernel", "tensor", "shard", "router", "header", "policy", "metric", "sample",
    ];

    private readonly string _words;

    public PromptText(int maxTokens, int seed)
    {
        var random = new Random(seed);
        var text = new StringBuilder((maxTokens * CharsPerToken * 2) + 64);
        while (text.Length < maxTokens * CharsPerToken * 2)
        {
            text.Append(Words[random.Next(Words.Length)]).Append(' ');
        }

        _words = text.ToString();
    }

    /// <summary>About <paramref name="tokens"/> tokens of text starting at a position drawn from <paramref name="random"/>.</summary>
    public string Take(int tokens, Random random)
    {
        var length = tokens * CharsPerToken;
        var from = random.Next(0, _words.Length - length);
        return _words.Substring(from, length);
    }

    public static string Tag(string run, int index) => string.Create(CultureInfo.InvariantCulture, $"[{run} {index:D8}] ");

    public static byte[] ChatBody(string model, string? system, string user, int outputTokens)
    {
        using var buffer = new MemoryStream(user.Length + (system?.Length ?? 0) + 256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("model", model);
            json.WriteStartArray("messages");
            if (system is not null)
            {
                json.WriteStartObject();
                json.WriteString("role", "system");
                json.WriteString("content", system);
                json.WriteEndObject();
            }

            json.WriteStartObject();
            json.WriteString("role", "user");
            json.WriteString("content", user);
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteNumber("max_tokens", outputTokens);
            json.WriteBoolean("ignore_eos", true);
            json.WriteBoolean("stream", true);
            json.WriteStartObject("stream_options");
            json.WriteBoolean("include_usage", true);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
