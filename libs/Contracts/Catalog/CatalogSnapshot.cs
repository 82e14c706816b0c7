using System.Collections.Immutable;

namespace Suite.Contracts.Catalog;

/// <summary>How much a request may be made to wait or be dropped under load (InferenceModel <c>criticality</c>).</summary>
public enum Criticality
{
    Critical,
    Standard,
    Sheddable,
}

/// <summary>A model name a client may send, and what it really runs as.</summary>
/// <param name="Name">The public name (<c>spec.modelName</c>), matched exactly against the body's <c>model</c>.</param>
/// <param name="Targets">Where requests go, with weights; empty means the name itself is served.</param>
public sealed record CatalogModel(string Name, Criticality Criticality, ImmutableArray<CatalogTarget> Targets);

/// <summary>One target of a weighted split (a base model or a LoRA adapter).</summary>
public sealed record CatalogTarget(string Name, int Weight);

/// <summary>A named priority chosen by the <c>x-gateway-inference-objective</c> header; negative is sheddable.</summary>
public sealed record CatalogObjective(string Name, int Priority);

/// <summary>
/// A rewrite of a requested model name (InferenceModelRewrite), already resolved by the catalog: at most one entry
/// per <paramref name="Model"/> (the oldest object's first rule that matches it) and at most one catch-all.
/// </summary>
/// <param name="Model">The requested name this rewrite applies to; null for the catch-all, which applies to every
/// name no InferenceModel and no exact rewrite claims.</param>
/// <param name="Targets">The names it is rewritten to, chosen at random in proportion to their weights.</param>
public sealed record CatalogRewrite(string? Model, ImmutableArray<CatalogTarget> Targets);

/// <summary>
/// Everything the catalog accepted for one pool at one moment: immutable, versioned like pool snapshots, swapped
/// in whole by the pickers.
/// </summary>
public sealed record CatalogSnapshot(
    string PoolName,
    long Version,
    DateTimeOffset TakenAt,
    ImmutableArray<CatalogModel> Models,
    ImmutableArray<CatalogObjective> Objectives,
    ImmutableArray<CatalogRewrite> Rewrites);
