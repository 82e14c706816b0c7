namespace Suite.Contracts.Messaging;

/// <summary>State-store keys the services agree on.</summary>
public static class StateKeys
{
    /// <summary>The latest <see cref="Pools.PoolSnapshot"/> of a pool, so a new picker replica starts warm.</summary>
    public static string Pool(string poolName) => $"pool/{poolName}";

    /// <summary>The latest <see cref="Catalog.CatalogSnapshot"/> of a pool.</summary>
    public static string Catalog(string poolName) => $"catalog/{poolName}";
}
