using Suite.Contracts.Catalog;

namespace Suite.Picker.Catalog;

/// <summary>
/// The pool's catalog behind one reference, indexed when it is swapped in; versions not newer than the held one
/// are ignored, as for pool snapshots.
/// </summary>
public sealed class CatalogStore
{
    private readonly Lock _publishLock = new();
    private volatile CatalogIndex? _current;

    /// <summary>Null until the first catalog arrives: then every model passes through unchanged.</summary>
    public CatalogIndex? Current => _current;

    public bool Publish(CatalogSnapshot snapshot)
    {
        lock (_publishLock)
        {
            if (_current is { } held && snapshot.Version <= held.Snapshot.Version)
            {
                return false;
            }

            _current = new CatalogIndex(snapshot);
            return true;
        }
    }
}
