using Suite.Contracts.Pools;

namespace Suite.Picker.Pools;

/// <summary>The latest snapshot of the pool this picker serves; null until the first one arrives.</summary>
public interface IPoolState
{
    PoolSnapshot? Current { get; }
}
