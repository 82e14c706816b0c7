using System.Text;
using System.Text.Json;

namespace Suite.ModelSim.OpenAi;

/// <summary>The parts of an OpenAI completions or chat-completions request the simulator acts on.</summary>
internal sealed record CompletionRequest(
    bool IsChat,
    string Model,
    string? PromptText,
    int[]? PromptTokenIds,
    int? MaxTokens,
    bool IgnoreEos,
    bool Stream,
    bool IncludeUsage);

/// <summary>A request the simulator refuses with 400, naming the offending field.</summary>
internal sealed record RequestProblem(string Message, string? Param);

/// <summary>Reads a request body; every way it can be wrong becomes a <see cref="RequestProblem"/>.</summary>
internal static class CompletionRequestParser
{
    public static CompletionRequest? Parse(ReadOnlyMemory<byte> body, bool isChat, out RequestProblem? problem)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            problem = new RequestProblem($"The request body is not valid JSON: {e.Message}", null);
            return null;
        }

        using (document)
        {
            return Parse(document.RootElement, isChat, out problem);
        }
    }

    private static CompletionRequest? Parse(JsonElement root, bool isChat, out RequestProblem? problem)
    {
        problem = null;
        if (root.ValueKind != JsonValueKind.Object)
        {
            problem = new RequestProblem("The request body must be a JSON object.", null);
            return null;
        }

        if (!root.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.String || model.GetString()!.Length == 0)
        {
            problem = new RequestProblem("`model` must be a non-empty string.", "model");
            return null;
        }

        string? text = null;
        int[]? tokenIds = null;
        if (isChat)
        {
            text = RenderMessages(root, ref problem);
        }
        else
        {
            ReadPrompt(root, ref text, ref tokenIds, ref problem);
        }

        if (problem is not null)
        {
            return null;
        }

        var maxTokens = ReadMaxTokens(root, isChat, ref problem);
        var stream = ReadBool(root, "stream", ref problem);
        var ignoreEos = ReadBool(root, "ignore_eos", ref problem);
        var includeUsage = false;
        if (root.TryGetProperty("stream_options", out var options) && options.ValueKind != JsonValueKind.Null)
        {
            if (!stream)
            {
                problem ??= new RequestProblem("Stream options can only be defined when `stream=True`.", "stream_options");
            }
            else if (options.ValueKind != JsonValueKind.Object)
            {
                problem ??= new RequestProblem("`stream_options` must be an object.", "stream_options");
            }
            else
            {
                includeUsage = ReadBool(options, "include_usage", ref problem);
            }
        }

        if (root.TryGetProperty("n", out var n) && n.ValueKind != JsonValueKind.Null && !(n.ValueKind == JsonValueKind.Number && n.TryGetInt32(out var count) && count == 1))
        {
            problem ??= new RequestProblem("The simulator generates one choice per request: `n` must be 1.", "n");
        }

        return problem is null
            ? new CompletionRequest(isChat, model.GetString()!, text, tokenIds, maxTokens, ignoreEos, stream, includeUsage)
            : null;
    }

    private static void ReadPrompt(JsonElement root, ref string? text, ref int[]? tokenIds, ref RequestProblem? problem)
    {
        if (!root.TryGetProperty("prompt", out var prompt))
        {
            problem = new RequestProblem("`prompt` is required.", "prompt");
            return;
        }

        if (prompt.ValueKind == JsonValueKind.Array && prompt.GetArrayLength() == 1 && prompt[0].ValueKind == JsonValueKind.String)
        {
            prompt = prompt[0];
        }

        if (prompt.ValueKind == JsonValueKind.String)
        {
            text = prompt.GetString()!;
        }
        else if (prompt.ValueKind == JsonValueKind.Array && prompt.GetArrayLength() > 0 && prompt.EnumerateArray().All(IsTokenId))
        {
            tokenIds = [.. prompt.EnumerateArray().Select(t => t.GetInt32())];
        }
        else
        {
            problem = new RequestProblem("`prompt` must be a string, a list of one string, or a list of token ids.", "prompt");
            return;
        }

        if (text is { Length: 0 })
        {
            problem = new RequestProblem("`prompt` cannot be empty.", "prompt");
        }
    }

    private static bool IsTokenId(JsonElement element) => element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out var id) && id >= 0;

    /// <summary>Applies a Llama-3-style chat template, so shared system prompts become shared token prefixes.</summary>
    private static string? RenderMessages(JsonElement root, ref RequestProblem? problem)
    {
        if (!root.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array || messages.GetArrayLength() == 0)
        {
            problem = new RequestProblem("`messages` must be a non-empty list.", "messages");
            return null;
        }

        var text = new StringBuilder("<|begin_of_text|>");
        foreach (var message in messages.EnumerateArray())
        {
            if (message.ValueKind != JsonValueKind.Object
                || !message.TryGetProperty("role", out var role) || role.ValueKind != JsonValueKind.String)
            {
                problem = new RequestProblem("Each message must be an object with a string `role`.", "messages");
                return null;
            }

            text.Append("<|start_header_id|>").Append(role.GetString()).Append("<|end_header_id|>\n\n");
            if (message.TryGetProperty("content", out var content) && !AppendContent(text, content))
            {
                problem = new RequestProblem("A message's `content` must be a string, null, or a list of text parts.", "messages");
                return null;
            }

            text.Append("<|eot_id|>");
        }

        return text.Append("<|start_header_id|>assistant<|end_header_id|>\n\n").ToString();
    }

    private static bool AppendContent(StringBuilder text, JsonElement content)
    {
        switch (content.ValueKind)
        {
            case JsonValueKind.Null:
                return true;
            case JsonValueKind.String:
                text.Append(content.GetString());
                return true;
            case JsonValueKind.Array:
                foreach (var part in content.EnumerateArray())
                {
                    if (part.ValueKind != JsonValueKind.Object || !part.TryGetProperty("text", out var partText) || partText.ValueKind != JsonValueKind.String)
                    {
                        return false;
                    }

                    text.Append(partText.GetString());
                }

                return true;
            default:
                return false;
        }
    }

    private static int? ReadMaxTokens(JsonElement root, bool isChat, ref RequestProblem? problem)
    {
        var name = isChat && root.TryGetProperty("max_completion_tokens", out _) ? "max_completion_tokens" : "max_tokens";
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var tokens) && tokens >= 1)
        {
            return tokens;
        }

        problem ??= new RequestProblem($"`{name}` must be an integer ≥ 1.", name);
        return null;
    }

    private static bool ReadBool(JsonElement parent, string name, ref RequestProblem? problem)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return false;
        }

        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetBoolean();
        }

        problem ??= new RequestProblem($"`{name}` must be a boolean.", name);
        return false;
    }
}
