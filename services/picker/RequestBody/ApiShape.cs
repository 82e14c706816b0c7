namespace Suite.Picker.RequestBody;

/// <summary>The OpenAI API a request path belongs to, and the field that API requires besides <c>model</c>.</summary>
public enum ApiShape
{
    /// <summary>A path the picker does not know: only <c>model</c> is required.</summary>
    Other,
    Completions,
    ChatCompletions,
    Embeddings,
}

public static class ApiShapes
{
    public static ApiShape FromPath(string? path)
    {
        if (path is null)
        {
            return ApiShape.Other;
        }

        var query = path.IndexOf('?', StringComparison.Ordinal);
        var route = query < 0 ? path.AsSpan() : path.AsSpan(0, query);
        route = route.TrimEnd('/');
        return route switch
        {
            "/v1/completions" => ApiShape.Completions,
            "/v1/chat/completions" => ApiShape.ChatCompletions,
            "/v1/embeddings" => ApiShape.Embeddings,
            _ => ApiShape.Other,
        };
    }
}
