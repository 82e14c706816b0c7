using System.Text.Json;

namespace Suite.LocalGateway.RequestBody;

/// <summary>The top-level <c>model</c> string of a JSON body, without deserialising the rest.</summary>
internal static class ModelField
{
    /// <summary>The model name; null when the body is not a JSON object or has no string <c>model</c> at the top level.</summary>
    public static string? Read(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            return null;
        }

        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 256 });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isModel = reader.ValueTextEquals("model"u8);
                if (!reader.Read())
                {
                    return null;
                }

                if (isModel)
                {
                    return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
            // Not JSON, or broken before the model: the picker answers such bodies itself (400).
        }

        return null;
    }
}
