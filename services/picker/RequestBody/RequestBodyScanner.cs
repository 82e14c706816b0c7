using System.Text.Json;
using System.Text.Unicode;

namespace Suite.Picker.RequestBody;

/// <summary>
/// Reads an OpenAI-style request body once with <see cref="Utf8JsonReader"/>: validates the whole document,
/// finds the top-level <c>model</c>, <c>stream</c>, <c>prompt</c> and <c>messages</c>, and skips everything else
/// without materialising it. A repeated key counts by its last occurrence, as the Python servers read it.
/// </summary>
public static class RequestBodyScanner
{
    public const int MaxDepth = 64;

    private static readonly JsonReaderOptions ReaderOptions = new()
    {
        MaxDepth = MaxDepth,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
    };

    public static BodyScan Scan(ReadOnlySpan<byte> body, ApiShape shape)
    {
        // The reader checks structure but not the UTF-8 inside strings it skips; JSON must be UTF-8 throughout.
        if (!Utf8.IsValid(body))
        {
            return BodyScan.Invalid("The request body is not valid UTF-8.");
        }

        try
        {
            return ScanObject(body, shape);
        }
        catch (JsonException e)
        {
            return BodyScan.Invalid($"The request body is not valid JSON: {e.Message}");
        }
    }

    private static BodyScan ScanObject(ReadOnlySpan<byte> body, ApiShape shape)
    {
        var reader = new Utf8JsonReader(body, ReaderOptions);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return BodyScan.Invalid("The request body must be a JSON object.");
        }

        string? model = null;
        string? modelError = "The request body has no \"model\" field.";
        ByteRange modelToken = default, prompt = default, messages = default, input = default;
        var stream = false;
        var messagesIsArray = false;

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("model"u8))
            {
                reader.Read();
                (model, modelToken, modelError) = ReadModel(ref reader);
            }
            else if (reader.ValueTextEquals("stream"u8))
            {
                reader.Read();
                stream = reader.TokenType == JsonTokenType.True;
                reader.Skip();
            }
            else if (reader.ValueTextEquals("prompt"u8))
            {
                prompt = SkipValue(ref reader);
            }
            else if (reader.ValueTextEquals("messages"u8))
            {
                reader.Read();
                messagesIsArray = reader.TokenType == JsonTokenType.StartArray;
                messages = SkipCurrent(ref reader);
            }
            else if (reader.ValueTextEquals("input"u8))
            {
                input = SkipValue(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        // Anything after the root object (a second value, stray bytes) makes the reader throw here.
        while (reader.Read())
        {
        }

        if (modelError is not null)
        {
            return BodyScan.Invalid(modelError);
        }

        var shapeError = shape switch
        {
            ApiShape.Completions when prompt.IsEmpty => "/v1/completions requires a \"prompt\" field.",
            ApiShape.ChatCompletions when !messagesIsArray => "/v1/chat/completions requires a \"messages\" array.",
            ApiShape.Embeddings when input.IsEmpty => "/v1/embeddings requires an \"input\" field.",
            _ => null,
        };
        return shapeError is not null
            ? BodyScan.Invalid(shapeError)
            : new BodyScan(null, model, modelToken, stream, prompt, messages);
    }

    private static (string? Model, ByteRange Token, string? Error) ReadModel(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            reader.Skip();
            return (null, default, "\"model\" must be a string.");
        }

        // ValueSpan holds the raw (still escaped) text between the quotes, so the token is two bytes longer.
        var token = new ByteRange((int)reader.TokenStartIndex, reader.ValueSpan.Length + 2);
        var model = reader.GetString();
        return string.IsNullOrWhiteSpace(model)
            ? (null, default, "\"model\" must not be empty.")
            : (model, token, null);
    }

    private static ByteRange SkipValue(ref Utf8JsonReader reader)
    {
        reader.Read();
        return SkipCurrent(ref reader);
    }

    private static ByteRange SkipCurrent(ref Utf8JsonReader reader)
    {
        var start = (int)reader.TokenStartIndex;
        reader.Skip();
        return new ByteRange(start, (int)reader.BytesConsumed - start);
    }
}
