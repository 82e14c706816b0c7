using System.Buffers;
using System.Text.Json;
using Suite.ModelSim.Engine;

namespace Suite.ModelSim.OpenAi;

/// <summary>Which response is being written: ids and names repeated in every chunk.</summary>
internal sealed record ResponseIdentity(bool IsChat, string Id, long Created, string Model);

internal readonly record struct Usage(int PromptTokens, int CompletionTokens, int CachedTokens);

/// <summary>The JSON of completion responses and of their SSE chunks, field for field as vLLM writes them.</summary>
internal static class CompletionJson
{
    public static void WriteChunk(IBufferWriter<byte> output, ResponseIdentity identity, string? text, bool firstChatChunk, FinishReason? finish)
    {
        using var json = new Utf8JsonWriter(output, JsonOutput.Options);
        Header(json, identity, identity.IsChat ? "chat.completion.chunk" : "text_completion");
        json.WriteStartArray("choices");
        json.WriteStartObject();
        json.WriteNumber("index", 0);
        if (identity.IsChat)
        {
            json.WriteStartObject("delta");
            if (firstChatChunk)
            {
                json.WriteString("role", "assistant");
            }

            if (text is not null)
            {
                json.WriteString("content", text);
            }

            json.WriteEndObject();
        }
        else
        {
            json.WriteString("text", text ?? "");
        }

        json.WriteNull("logprobs");
        WriteFinish(json, finish);
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
    }

    public static void WriteUsageChunk(IBufferWriter<byte> output, ResponseIdentity identity, Usage usage)
    {
        using var json = new Utf8JsonWriter(output, JsonOutput.Options);
        Header(json, identity, identity.IsChat ? "chat.completion.chunk" : "text_completion");
        json.WriteStartArray("choices");
        json.WriteEndArray();
        WriteUsage(json, usage);
        json.WriteEndObject();
    }

    public static void WriteResponse(IBufferWriter<byte> output, ResponseIdentity identity, string text, FinishReason finish, Usage usage)
    {
        using var json = new Utf8JsonWriter(output, JsonOutput.Options);
        Header(json, identity, identity.IsChat ? "chat.completion" : "text_completion");
        json.WriteStartArray("choices");
        json.WriteStartObject();
        json.WriteNumber("index", 0);
        if (identity.IsChat)
        {
            json.WriteStartObject("message");
            json.WriteString("role", "assistant");
            json.WriteString("content", text);
            json.WriteEndObject();
        }
        else
        {
            json.WriteString("text", text);
        }

        json.WriteNull("logprobs");
        WriteFinish(json, finish);
        json.WriteEndObject();
        json.WriteEndArray();
        WriteUsage(json, usage);
        json.WriteEndObject();
    }

    private static void Header(Utf8JsonWriter json, ResponseIdentity identity, string objectType)
    {
        json.WriteStartObject();
        json.WriteString("id", identity.Id);
        json.WriteString("object", objectType);
        json.WriteNumber("created", identity.Created);
        json.WriteString("model", identity.Model);
    }

    private static void WriteFinish(Utf8JsonWriter json, FinishReason? finish)
    {
        if (finish is { } reason)
        {
            json.WriteString("finish_reason", reason == FinishReason.Length ? "length" : reason == FinishReason.Stop ? "stop" : "abort");
        }
        else
        {
            json.WriteNull("finish_reason");
        }
    }

    private static void WriteUsage(Utf8JsonWriter json, Usage usage)
    {
        json.WriteStartObject("usage");
        json.WriteNumber("prompt_tokens", usage.PromptTokens);
        json.WriteNumber("total_tokens", usage.PromptTokens + usage.CompletionTokens);
        json.WriteNumber("completion_tokens", usage.CompletionTokens);
        json.WriteStartObject("prompt_tokens_details");
        json.WriteNumber("cached_tokens", usage.CachedTokens);
        json.WriteEndObject();
        json.WriteEndObject();
    }
}
