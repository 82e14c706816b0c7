using Suite.ModelSim.Engine;
using Suite.ModelSim.Faults;
using Suite.ModelSim.Metrics;

namespace Suite.ModelSim.Hosting;

/// <summary>One simulated model server: its name (the pod it plays), its engine and how it reports metrics.</summary>
public sealed class SimulatorInstance : IAsyncDisposable
{
    private readonly Lock _randomGate = new();
    private readonly Random _random;
    private long _nextRequestId;

    internal SimulatorInstance(string name, EngineProfile profile, InstanceSettings settings, TimeProvider time)
    {
        Name = name;
        Profile = profile;
        MetricsFormat = settings.MetricsFormat;
        _random = new Random(settings.Seed);
        var adapters = new AdapterSlots(profile.MaxLoras);
        foreach (var (adapter, path) in settings.LoraModules)
        {
            adapters.Register(adapter, path);
        }

        Engine = new EngineLoop(new EngineCore(profile, adapters), time, settings.Speedup, settings.Faults);
        Engine.Start();
    }

    /// <summary>The pod name this instance answers as (<c>x-inference-pod</c>).</summary>
    public string Name { get; }

    public EngineProfile Profile { get; }

    public MetricsFormat MetricsFormat { get; }

    /// <summary>The address it listens on once started, e.g. <c>http://127.0.0.1:8000</c>.</summary>
    public Uri? Address { get; internal set; }

    public FaultSettings Faults
    {
        get => Engine.Faults;
        set => Engine.Faults = value;
    }

    internal EngineLoop Engine { get; }

    internal long NextRequestId() => Interlocked.Increment(ref _nextRequestId);

    /// <summary>A uniform draw in [0, 1) from the instance's seeded generator (output lengths, fault dice).</summary>
    internal double NextDouble()
    {
        lock (_randomGate)
        {
            return _random.NextDouble();
        }
    }

    public ValueTask DisposeAsync() => Engine.DisposeAsync();
}
