using System.Text.Json;

namespace Suite.Picker.Usage;

/// <summary>
/// Reads the top-level <c>usage</c> object of an OpenAI response or stream event: <c>prompt_tokens</c>,
/// <c>completion_tokens</c>, <c>total_tokens</c> and <c>prompt_tokens_details.cached_tokens</c>.
/// </summary>
public static class UsageJson
{
    /// <summary>False when the JSON is malformed or has no usage object (a null usage counts as none).</summary>
    public static bool TryRead(ReadOnlySpan<byte> json, out TokenUsage usage)
    {
        usage = default;
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isUsage = reader.ValueTextEquals("usage"u8);
                reader.Read();
                if (isUsage && reader.TokenType == JsonTokenType.StartObject)
                {
                    usage = ReadUsageObject(ref reader);
                    return true;
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
            // A truncated or malformed body carries no usable usage.
        }

        return false;
    }

    private static TokenUsage ReadUsageObject(ref Utf8JsonReader reader)
    {
        long prompt = 0, completion = 0, total = 0, cached = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("prompt_tokens"u8))
            {
                prompt = ReadCount(ref reader);
            }
            else if (reader.ValueTextEquals("completion_tokens"u8))
            {
                completion = ReadCount(ref reader);
            }
            else if (reader.ValueTextEquals("total_tokens"u8))
            {
                total = ReadCount(ref reader);
            }
            else if (reader.ValueTextEquals("prompt_tokens_details"u8))
            {
                reader.Read();
                cached = reader.TokenType == JsonTokenType.StartObject ? ReadCachedTokens(ref reader) : Skip(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return new TokenUsage(prompt, completion, total, cached);
    }

    private static long ReadCachedTokens(ref Utf8JsonReader reader)
    {
        long cached = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("cached_tokens"u8))
            {
                cached = ReadCount(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return cached;
    }

    private static long ReadCount(ref Utf8JsonReader reader)
    {
        reader.Read();
        return reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value) ? value : Skip(ref reader);
    }

    private static long Skip(ref Utf8JsonReader reader)
    {
        reader.Skip();
        return 0;
    }
}
