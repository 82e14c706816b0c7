using Suite.Contracts.Pools;

namespace Suite.Picker.Pools;

/// <summary>
/// Holds the pool snapshot behind one reference. Sources publish whole snapshots; a snapshot older than the
/// one held (by version) is ignored, so late or repeated deliveries cannot roll the state back.
/// </summary>
public sealed class PoolStateStore : IPoolState
{
    private readonly Lock _publishLock = new();
    private volatile PoolSnapshot? _current;

    public PoolSnapshot? Current => _current;

    /// <summary>Returns false when <paramref name="snapshot"/> is not newer than the one held.</summary>
    public bool Publish(PoolSnapshot snapshot)
    {
        lock (_publishLock)
        {
            if (_current is { } held && snapshot.Version <= held.Version)
            {
                return false;
            }

            _current = snapshot;
            return true;
        }
    }
}
