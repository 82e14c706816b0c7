using System.Text.Json.Serialization;

namespace Suite.Catalog.Api;

/// <summary>OpenAI's <c>GET /v1/models</c> answer.</summary>
internal sealed record ModelList(
    [property: JsonPropertyName("object")] string Object,
    [property: JsonPropertyName("data")] IReadOnlyList<ModelEntry> Data);

/// <param name="Created">Unix seconds: when the resource that declares the name was created.</param>
/// <param name="OwnedBy">The pool that serves the name.</param>
internal sealed record ModelEntry(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("object")] string Object,
    [property: JsonPropertyName("created")] long Created,
    [property: JsonPropertyName("owned_by")] string OwnedBy);

/// <summary>OpenAI's error envelope, as the picker answers too.</summary>
internal sealed record ErrorEnvelope([property: JsonPropertyName("error")] ErrorBody Error);

internal sealed record ErrorBody(
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("param")] string? Param,
    [property: JsonPropertyName("code")] string Code);
