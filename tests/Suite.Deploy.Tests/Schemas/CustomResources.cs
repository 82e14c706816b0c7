using Suite.Deploy.Tests.Rendering;
using Suite.Deploy.Tests.Support;

namespace Suite.Deploy.Tests.Schemas;

/// <summary>
/// Where custom resources are written: every rendered kustomization, every YAML file under deploy/examples, and
/// the manifests `dapr run -f dapr.yaml` feeds the services (components/local/manifests).
/// </summary>
internal static class CustomResources
{
    public const string Examples = "deploy/examples";
    public const string LocalManifests = "components/local/manifests";

    public static IReadOnlyList<string> Files(string folder) =>
    [
        .. Directory.EnumerateFiles(Repository.PathOf(folder), "*.*", SearchOption.AllDirectories)
            .Where(file => Path.GetExtension(file) is ".yaml" or ".yml")
            .Select(Repository.Relative)
            .Order(StringComparer.Ordinal),
    ];

    public static IEnumerable<ManifestSet> ReadFiles(string folder) => Files(folder).Select(YamlManifests.ReadFile);

    /// <summary>Every object of every source, custom or not, each set named by its directory or file.</summary>
    public static async Task<IReadOnlyList<ManifestSet>> AllSourcesAsync()
    {
        var rendered = await Task.WhenAll(Kustomizations.All.Select(Renderings.OfAsync));
        return [.. rendered, .. ReadFiles(Examples), .. ReadFiles(LocalManifests)];
    }

    /// <summary>Whether the object is of a kind one of the CRDs defines (whatever its version).</summary>
    public static bool IsCustom(CrdSchemas schemas, Manifest manifest)
    {
        ArgumentNullException.ThrowIfNull(schemas);
        ArgumentNullException.ThrowIfNull(manifest);
        return schemas.Kinds.Any(known => known.Kind == manifest.Kind && Group(known.ApiVersion) == Group(manifest.ApiVersion));
    }

    private static string Group(string apiVersion) => apiVersion.Contains('/', StringComparison.Ordinal) ? apiVersion[..apiVersion.LastIndexOf('/')] : "";
}
