using System.Text.Json.Serialization;

namespace Suite.Catalog.Api;

/// <summary>The debugging answer of <c>GET /models/{name}</c>: what a name resolves to in each pool, and why not elsewhere.</summary>
internal sealed record ModelResolutionView(
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("pools")] IReadOnlyList<PoolResolutionView> Pools,
    [property: JsonPropertyName("notAccepted")] IReadOnlyList<NotAcceptedView> NotAccepted);

/// <param name="Via"><c>InferenceModel</c>, <c>InferenceModelRewrite</c> or <c>InferenceModelRewrite (catch-all)</c>.</param>
/// <param name="DeclaredBy">The resource, as <c>Kind namespace/name</c>.</param>
internal sealed record PoolResolutionView(
    [property: JsonPropertyName("pool")] string Pool,
    [property: JsonPropertyName("via")] string Via,
    [property: JsonPropertyName("declaredBy")] string DeclaredBy,
    [property: JsonPropertyName("criticality")] string Criticality,
    [property: JsonPropertyName("targets")] IReadOnlyList<TargetView> Targets);

/// <param name="Share">The weight's fraction of the total: the expected share of requests.</param>
internal sealed record TargetView(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("weight")] int Weight,
    [property: JsonPropertyName("share")] double Share);

/// <summary>A resource that claims the name but is not part of any catalog, with its condition.</summary>
internal sealed record NotAcceptedView(
    [property: JsonPropertyName("resource")] string Resource,
    [property: JsonPropertyName("reason")] string Reason,
    [property: JsonPropertyName("message")] string Message);
