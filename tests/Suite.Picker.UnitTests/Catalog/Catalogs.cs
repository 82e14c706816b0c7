using Suite.Contracts.Catalog;
using Suite.Picker.Catalog;

namespace Suite.Picker.UnitTests.Catalog;

/// <summary>Catalog indexes with only the entries a test names.</summary>
internal static class Catalogs
{
    public static CatalogIndex Index(
        CatalogModel[]? models = null, CatalogRewrite[]? rewrites = null, CatalogObjective[]? objectives = null) =>
        new(new CatalogSnapshot(
            "chat-pool", 1, Build.Start, [.. models ?? []], [.. objectives ?? []], [.. rewrites ?? []]));

    public static CatalogRewrite Rewrite(string? model, params (string Name, int Weight)[] targets) =>
        new(model, [.. targets.Select(target => new CatalogTarget(target.Name, target.Weight))]);

    public static CatalogModel Model(string name, Criticality criticality, params (string Name, int Weight)[] targets) =>
        new(name, criticality, [.. targets.Select(target => new CatalogTarget(target.Name, target.Weight))]);

    /// <summary>A snapshot as deserialised from JSON written before a list existed: that array left default.</summary>
    public static CatalogSnapshot WithoutLists(CatalogModel[] models) =>
        new("chat-pool", 1, Build.Start, [.. models], default, default);
}
