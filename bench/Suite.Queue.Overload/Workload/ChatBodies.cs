using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Suite.Queue.Overload.Workload;

/// <summary>
/// Streaming chat-completion bodies: a single user message of about <c>promptTokens</c> tokens (the simulator counts
/// 4 characters a token) and exactly the given number of output tokens (<c>max_tokens</c> with <c>ignore_eos</c>),
/// with usage in the stream. The message starts with a tag of fixed width naming the phase and the request, so no two
/// requests share a prefix-cache block (an earlier arm's prompts cannot make a later arm's prefill cheaper) while
/// every prompt has the same length.
/// </summary>
internal sealed class ChatBodies
{
    private const int CharsPerToken = 4;

    private static readonly string[] Words =
    [
        "gateway", "pool", "model", "server", "token", "cache", "queue", "batch", "latency", "priority", "prefill",
        "decode", "request", "stream", "replica", "budget", "window", "signal", "margin", "capacity",
    ];

    private readonly string _filler;

    public ChatBodies(int promptTokens)
    {
        var text = new StringBuilder();
        var random = new Random(7);
        var length = (promptTokens * CharsPerToken) - TagLength;
        while (text.Length < length)
        {
            text.Append(Words[random.Next(Words.Length)]).Append(' ');
        }

        _filler = text.ToString(0, Math.Max(0, length));
    }

    /// <summary>"[phase pp request nnnnnnnn] ": the width every tag has.</summary>
    private static int TagLength => "[phase 00 request 00000000] ".Length;

    public byte[] Create(string model, int phase, int index, int outputTokens)
    {
        var content = string.Create(CultureInfo.InvariantCulture, $"[phase {phase % 100:D2} request {index % 100_000_000:D8}] {_filler}");
        using var buffer = new MemoryStream(content.Length + 256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("model", model);
            json.WriteStartArray("messages");
            json.WriteStartObject();
            json.WriteString("role", "user");
            json.WriteString("content", content);
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
