namespace Suite.Catalog.Sources;

/// <summary>Where the catalog's resources come from: the Kubernetes API or a manifests file.</summary>
internal interface ICatalogSource
{
    /// <summary>The latest complete view; <see cref="CatalogResources.Empty"/> until ready.</summary>
    CatalogResources Current { get; }

    /// <summary>Raised after <see cref="Current"/> changed. Handlers must be quick: they run on the source's thread.</summary>
    event Action? Changed;

    /// <summary>Completes once the first complete view is loaded.</summary>
    Task ReadyAsync(CancellationToken cancellationToken);
}
