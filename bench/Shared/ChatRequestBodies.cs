using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Suite.Bench;

/// <summary>
/// Deterministic OpenAI chat-completions bodies shaped like real traffic: a system prompt, a short exchange and a
/// final user turn that carries most of the prompt (a pasted document with code, quotes and non-ASCII text), then
/// the sampling fields. Keys follow openai-python's order (<c>messages</c> before <c>model</c>), so a scanner
/// must cross the whole prompt to find the model. Escaping is that of httpx (openai-python's transport): compact,
/// non-ASCII left as UTF-8, only quotes, backslashes and control characters escaped.
/// </summary>
public static class ChatRequestBodies
{
    public const string BaseModel = "meta-llama/Llama-3.1-8B-Instruct";

    private static readonly string[] Words =
    [
        "the", "gateway", "routes", "each", "request", "to", "a", "model", "server", "whose", "queue", "is", "short",
        "and", "whose", "cache", "already", "holds", "prefix", "tokens", "latency", "budget", "inference", "pool",
        "adapter", "throughput", "batch", "scheduler", "replica", "summarise", "following", "report", "quarterly",
        "revenue", "increased", "while", "costs", "fell", "customers", "asked", "about", "delivery", "times", "in",
        "région", "Zürich", "naïve", "café", "données", "résumé", "for", "with", "from", "that", "this", "of",
    ];

    private static readonly string[] CodeLines =
    [
        "def handle(request):",
        "    payload = json.loads(request.body)",
        "    if payload.get(\"model\") is None:",
        "        raise ValueError(\"missing \\\"model\\\" field\")",
        "    return {\"status\": \"ok\", \"path\": \"C:\\\\data\\\\out.txt\"}",
        "SELECT region, SUM(amount) FROM orders WHERE placed_at >= '2024-01-01' GROUP BY region;",
        "\tfor (int i = 0; i < n; i++) { total += values[i]; } // tabs and braces",
    ];

    /// <summary>
    /// A UTF-8 JSON body whose message contents add up to about <paramref name="promptBytes"/> bytes of text
    /// (before JSON escaping).
    /// </summary>
    public static byte[] Create(int promptBytes, string model = BaseModel, int seed = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(promptBytes, 200);
        var random = new Random(seed);
        var system = Math.Min(600, promptBytes / 5);
        var question = Math.Min(300, promptBytes / 8);
        var answer = Math.Min(800, promptBytes / 5);
        var document = promptBytes - system - question - answer;

        using var stream = new MemoryStream(promptBytes + promptBytes / 8 + 512);
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteStartArray("messages");
            Message(json, "system", "You are a careful assistant for an operations team. " + Prose(random, system - 53, code: false));
            Message(json, "user", Prose(random, question, code: false));
            Message(json, "assistant", Prose(random, answer, code: true));
            Message(json, "user", "Summarise the document below and list every action item.\n\n" + Prose(random, document - 58, code: true));
            json.WriteEndArray();
            json.WriteString("model", model);
            json.WriteNumber("max_tokens", 512);
            json.WriteNumber("temperature", 0.7);
            json.WriteNumber("top_p", 0.95);
            json.WriteBoolean("stream", true);
            json.WriteStartObject("stream_options");
            json.WriteBoolean("include_usage", true);
            json.WriteEndObject();
            json.WriteString("user", $"bench-user-{seed}");
            json.WriteEndObject();
        }

        return stream.ToArray();
    }

    private static void Message(Utf8JsonWriter json, string role, string content)
    {
        json.WriteStartObject();
        json.WriteString("role", role);
        json.WriteString("content", content);
        json.WriteEndObject();
    }

    /// <summary>About <paramref name="bytes"/> UTF-8 bytes of sentences and paragraphs, with code blocks when asked.</summary>
    private static string Prose(Random random, int bytes, bool code)
    {
        var text = new StringBuilder(bytes + 64);
        var length = 0;
        var sentence = 0;
        while (length < bytes)
        {
            string piece;
            if (code && sentence > 0 && sentence % 12 == 0)
            {
                piece = "\n```\n" + CodeLines[random.Next(CodeLines.Length)] + "\n" + CodeLines[random.Next(CodeLines.Length)] + "\n```\n";
            }
            else
            {
                var words = random.Next(6, 18);
                var builder = new StringBuilder();
                for (var w = 0; w < words; w++)
                {
                    var word = Words[random.Next(Words.Length)];
                    builder.Append(w == 0 ? char.ToUpperInvariant(word[0]) + word[1..] : word);
                    builder.Append(w == words - 1 ? (random.Next(4) == 0 ? "? " : ". ") : " ");
                }

                if (random.Next(5) == 0)
                {
                    builder.Append("\"Quoted remark,\" they said. ");
                }

                piece = sentence % 6 == 5 ? builder.Append("\n\n").ToString() : builder.ToString();
            }

            var pieceBytes = Encoding.UTF8.GetByteCount(piece);
            if (length + pieceBytes > bytes)
            {
                piece = piece[..Math.Max(0, Math.Min(piece.Length, bytes - length))];
                pieceBytes = Math.Max(1, Encoding.UTF8.GetByteCount(piece));
            }

            text.Append(piece);
            length += pieceBytes;
            sentence++;
        }

        return text.ToString();
    }
}
