using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Suite.ModelSim.Load;

/// <summary>
/// JSON bodies for streaming <c>/v1/completions</c> requests whose prompts share no prefix. The simulator's prefix
/// cache chains block hashes from the first character, so a prompt that starts with this run's random tag and the
/// request's own number misses the cache entirely: every request pays its full prefill, as distinct users' prompts
/// would, and a simulator left running from an earlier run holds nothing this run can hit either.
/// </summary>
internal sealed class CompletionBodies
{
    /// <summary>Enough tokens for the tag and the request number.</summary>
    public const int MinPromptTokens = 8;

    // The simulator's tokeniser approximation (Engine:CharsPerToken): four characters make one token.
    private const int CharsPerToken = 4;

    private const string Sentence = "The quick brown fox jumps over the lazy dog while the model server keeps every sequence in its batch. ";

    private readonly string _model;
    private readonly string _filler;
    private readonly string _runTag = Random.Shared.Next().ToString("x8", CultureInfo.InvariantCulture);
    private long _issued;

    public CompletionBodies(string model, int promptTokens)
    {
        _model = model;
        var filler = new StringBuilder(promptTokens * CharsPerToken);
        while (filler.Length < filler.Capacity)
        {
            filler.Append(Sentence);
        }

        _filler = filler.ToString(0, promptTokens * CharsPerToken);
    }

    public byte[] Next(int outputTokens)
    {
        var head = $"{_runTag}-{Interlocked.Increment(ref _issued)}: ";
        var prompt = string.Concat(head, _filler.AsSpan(head.Length));
        var body = new ArrayBufferWriter<byte>(prompt.Length + 256);
        using (var json = new Utf8JsonWriter(body))
        {
            json.WriteStartObject();
            json.WriteString("model", _model);
            json.WriteString("prompt", prompt);
            json.WriteNumber("max_tokens", outputTokens);
            json.WriteBoolean("ignore_eos", true);
            json.WriteBoolean("stream", true);
            json.WriteStartObject("stream_options");
            json.WriteBoolean("include_usage", true);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return body.WrittenSpan.ToArray();
    }
}
