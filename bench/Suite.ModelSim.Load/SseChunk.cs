using System.Buffers;
using System.Text.Json;

namespace Suite.ModelSim.Load;

/// <summary>Token counts of the final usage chunk (<c>stream_options.include_usage</c>).</summary>
internal readonly record struct TokenUsage(int PromptTokens, int CompletionTokens, int CachedTokens);

/// <summary>
/// What one <c>data:</c> line of a completions stream carries: generated text, the usage, or neither. Read with
/// Utf8JsonReader straight from the received bytes: at thousands of chunks a second the load program's CPU is part
/// of what the <c>cost</c> mode measures, so no per-chunk document or string is built.
/// </summary>
internal readonly record struct SseChunk(bool HasText, TokenUsage? Usage)
{
    private enum Field { Other, Text, PromptTokens, CompletionTokens, CachedTokens }

    /// <exception cref="JsonException">The line is not JSON.</exception>
    public static SseChunk Parse(ReadOnlySequence<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        var field = Field.Other;
        var hasText = false;
        int? prompt = null, completion = null, cached = null;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    field = reader.ValueTextEquals("text"u8) ? Field.Text
                        : reader.ValueTextEquals("prompt_tokens"u8) ? Field.PromptTokens
                        : reader.ValueTextEquals("completion_tokens"u8) ? Field.CompletionTokens
                        : reader.ValueTextEquals("cached_tokens"u8) ? Field.CachedTokens
                        : Field.Other;
                    continue;
                case JsonTokenType.String when field == Field.Text:
                    hasText |= (reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length) > 0;
                    break;
                case JsonTokenType.Number when field == Field.PromptTokens:
                    prompt = reader.GetInt32();
                    break;
                case JsonTokenType.Number when field == Field.CompletionTokens:
                    completion = reader.GetInt32();
                    break;
                case JsonTokenType.Number when field == Field.CachedTokens:
                    cached = reader.GetInt32();
                    break;
                default:
                    break;
            }

            field = Field.Other;
        }

        return new SseChunk(hasText, completion is { } tokens ? new TokenUsage(prompt ?? 0, tokens, cached ?? 0) : null);
    }
}
