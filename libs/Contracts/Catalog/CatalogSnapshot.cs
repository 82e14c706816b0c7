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
/// Everything the catalog accepted for one pool at one moment: immutable, versioned like pool snapshots, swapped
/// in whole by the pickers.
/// </summary>
public sealed record CatalogSnapshot(
    string PoolName,
    long Version,
    DateTimeOffset TakenAt,
    ImmutableArray<CatalogModel> Models,
    ImmutableArray<CatalogObjective> Objectives);
