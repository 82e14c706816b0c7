namespace Suite.Queue.Pressure;

/// <summary>The latest <see cref="PoolPressure"/> of every pool this replica owns.</summary>
public interface IPoolPressureSource
{
    /// <summary>Null for a pool this replica knows nothing about.</summary>
    PoolPressure? ForPool(string pool);

    IReadOnlyCollection<PoolPressure> All { get; }

    /// <summary>Raised after a pool's pressure changed (its saturation or any depth), on the thread that changed it.</summary>
    event Action<PoolPressure>? Changed;
}
