using System.Text;
using Suite.Host.Cluster;

namespace Suite.Host.Simulation;

/// <summary>
/// The manifests file the collector and the catalog read while simulators run: the cluster file's documents as
/// written, then one generated Pod per simulated instance. It is written once at start-up, so edits to the
/// cluster file are not seen until the suite restarts (with <c>--simulators 0</c> the services read the file itself).
/// </summary>
internal static class EffectiveManifests
{
    public const string FileName = "effective-manifests.yaml";

    public static string Text(ClusterFile cluster, IEnumerable<PoolSimulation> simulations)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(simulations);
        var text = new StringBuilder()
            .Append("# Written by the suite host: ").Append(cluster.Path).Append(" as it was at start-up, then a Pod per simulated instance.\n")
            .Append(cluster.Text);
        if (cluster.Text.Length > 0 && cluster.Text[^1] != '\n')
        {
            text.Append('\n');
        }

        foreach (var simulation in simulations)
        {
            text.Append("# Simulated pods of InferencePool ").Append(simulation.Pool.Name).Append('\n');
            text.Append(SimulatedPods.Yaml(SimulatedPods.For(simulation)));
        }

        return text.ToString();
    }

    /// <returns>The file's full path.</returns>
    public static async Task<string> WriteAsync(string directory, ClusterFile cluster, IEnumerable<PoolSimulation> simulations, CancellationToken cancellationToken)
    {
        var path = Path.Combine(directory, FileName);
        await File.WriteAllTextAsync(path, Text(cluster, simulations), cancellationToken);
        return path;
    }
}
