using Suite.Catalog.Sources;

namespace Suite.Catalog.Resolution;

/// <summary>The resources and what they resolved to, swapped as one reference for the HTTP API on every replica.</summary>
internal sealed class CatalogState
{
    private volatile Resolved? _current;

    /// <summary>Null until the first resolution.</summary>
    public Resolved? Current => _current;

    public void Set(CatalogResources resources, CatalogResolution resolution) => _current = new Resolved(resources, resolution);

    internal sealed record Resolved(CatalogResources Resources, CatalogResolution Resolution);
}
