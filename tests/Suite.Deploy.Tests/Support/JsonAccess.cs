using System.Text.Json.Nodes;

namespace Suite.Deploy.Tests.Support;

/// <summary>Reading manifests as JSON trees without a typed model: a missing field is null, never an exception.</summary>
internal static class JsonAccess
{
    /// <summary>The node at <paramref name="path"/> (object keys; annotation keys may contain dots), or null.</summary>
    public static JsonNode? At(this JsonNode? node, params ReadOnlySpan<string> path)
    {
        foreach (var step in path)
        {
            node = node is JsonObject json && json.TryGetPropertyValue(step, out var child) ? child : null;
            if (node is null)
            {
                return null;
            }
        }

        return node;
    }

    /// <summary>A scalar as text: strings as they are, numbers and booleans as JSON writes them.</summary>
    public static string? Text(this JsonNode? node) => node switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        JsonValue value => value.ToJsonString(),
        _ => null,
    };

    /// <summary>A JSON string, and only a string: a number or a boolean in its place is null.</summary>
    public static string? String(this JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    /// <summary>A JSON integer, and only a number: "9002" quoted is null.</summary>
    public static int? Int(this JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<int>(out var number) ? number : null;

    public static IEnumerable<JsonObject> Objects(this JsonNode? node) =>
        node is JsonArray array ? array.OfType<JsonObject>() : [];

    /// <summary>The string entries of a map such as labels, annotations or a selector.</summary>
    public static IReadOnlyDictionary<string, string> StringMap(this JsonNode? node) =>
        node is JsonObject json
            ? json.Where(pair => pair.Value.Text() is not null).ToDictionary(pair => pair.Key, pair => pair.Value.Text()!, StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
}
