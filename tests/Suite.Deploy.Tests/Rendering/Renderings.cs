using System.Collections.Concurrent;
using Suite.Deploy.Tests.Support;

namespace Suite.Deploy.Tests.Rendering;

/// <summary>
/// Each kustomization rendered once per test run and shared by every test that reads it (kubectl takes a few
/// tenths of a second per directory, and a dozen test classes read the same renderings).
/// </summary>
internal static class Renderings
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<KustomizeOutput>>> Outputs = new(StringComparer.Ordinal);

    public static Task<KustomizeOutput> OutputAsync(string directory) =>
        Outputs.GetOrAdd(directory, key => new Lazy<Task<KustomizeOutput>>(() => Kustomize.RunAsync(key))).Value;

    /// <summary>The rendered objects; a failed rendering fails the caller with kubectl's own message.</summary>
    public static async Task<ManifestSet> OfAsync(string directory)
    {
        var output = await OutputAsync(directory);
        if (output.ExitCode != 0)
        {
            throw new InvalidOperationException($"kubectl kustomize {directory} exited with {output.ExitCode}: {output.Errors}");
        }

        return YamlManifests.Parse(output.Yaml, directory);
    }

    /// <summary>Several renderings as one set, e.g. every model-server kustomization.</summary>
    public static async Task<ManifestSet> OfAllAsync(IEnumerable<string> directories, string source)
    {
        var sets = await Task.WhenAll(directories.Select(OfAsync));
        return new ManifestSet(source, [.. sets.SelectMany(set => set.Items)]);
    }
}
