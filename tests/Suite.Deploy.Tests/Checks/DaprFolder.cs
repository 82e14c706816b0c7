using System.Text.Json.Nodes;
using Suite.Deploy.Tests.Support;

namespace Suite.Deploy.Tests.Checks;

/// <summary>The Dapr resources of one folder: components/ for the cluster, components/local for `dapr run -f dapr.yaml`.</summary>
internal sealed record DaprFolder(string Folder, ManifestSet Resources)
{
    public const string Cluster = "components";
    public const string Local = "components/local";

    public IEnumerable<Manifest> Components => Resources.OfKind("Component");

    public IReadOnlySet<string> ComponentNames => Components.Select(component => component.Name).ToHashSet(StringComparer.Ordinal);

    /// <summary>A copy of the folder with one resource changed.</summary>
    public DaprFolder With(string kind, string name, Action<JsonObject> change) => this with { Resources = Resources.With(kind, name, change) };

    /// <summary>The folder's own YAML files (not its subfolders, which hold a Configuration and manifests, not resources).</summary>
    public static DaprFolder Read(string folder) => new(
        folder,
        new ManifestSet(
            folder,
            [
                .. Directory.EnumerateFiles(Repository.PathOf(folder), "*.yaml")
                    .Where(file => Path.GetFileName(file) != "kustomization.yaml")
                    .Order(StringComparer.Ordinal)
                    .SelectMany(file => YamlManifests.ReadFile(Repository.Relative(file)).Items),
            ]));
}
