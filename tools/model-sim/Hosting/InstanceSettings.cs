using Suite.ModelSim.Faults;
using Suite.ModelSim.Metrics;

namespace Suite.ModelSim.Hosting;

/// <summary>What one instance is started with besides its engine profile.</summary>
internal sealed record InstanceSettings(
    MetricsFormat MetricsFormat, int Seed, IReadOnlyDictionary<string, string> LoraModules, double Speedup, FaultSettings Faults);
