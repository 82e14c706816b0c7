namespace Suite.Picker.Scheduling;

/// <summary>Randomness the scheduler draws on, injectable so a test can predict every pick.</summary>
public interface IRandomSource
{
    /// <summary>A value in [0, 1).</summary>
    double NextDouble();

    /// <summary>A value in [0, <paramref name="maxExclusive"/>).</summary>
    int NextInt(int maxExclusive);
}

/// <summary>The process-wide thread-safe generator.</summary>
public sealed class SharedRandomSource : IRandomSource
{
    public double NextDouble() => Random.Shared.NextDouble();

    public int NextInt(int maxExclusive) => Random.Shared.Next(maxExclusive);
}

/// <summary>A deterministic generator for tests and benchmarks; not thread-safe.</summary>
public sealed class SeededRandomSource(int seed) : IRandomSource
{
    private readonly Random _random = new(seed);

    public double NextDouble() => _random.NextDouble();

    public int NextInt(int maxExclusive) => _random.Next(maxExclusive);
}
