extern alias ModelSim;

using ModelSim::Suite.ModelSim.Hosting;
using Suite.Host.Cluster;
using Suite.Host.Simulation;

namespace Suite.Host.Hosting;

/// <summary>One running pool: its picker, and its simulated pods when it has any.</summary>
/// <param name="Picker">The picker's ext_proc address (h2c), e.g. <c>http://127.0.0.1:9002</c>.</param>
/// <param name="PickerApp">The running picker; null while a fault-injection test has it stopped.</param>
internal sealed record SuitePool(ClusterPool Pool, Uri Picker, EmbeddedApp? PickerApp, PoolSimulation? Simulation, ModelSimFleet? Fleet)
{
    public string Name => Pool.Name;

    /// <summary>The simulated pods (name and address, e.g. <c>chat-pool-0</c> at <c>http://127.0.1.1:8000/</c>); empty without simulators.</summary>
    public IReadOnlyList<(string Name, Uri Address)> SimulatedPods =>
        Fleet is null ? [] : [.. Fleet.Instances.Select(instance => (instance.Name, instance.Address!))];
}
