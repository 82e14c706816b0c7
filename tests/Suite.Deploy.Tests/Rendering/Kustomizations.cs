using Suite.Deploy.Tests.Support;

namespace Suite.Deploy.Tests.Rendering;

/// <summary>Every kustomization of the repository: the folders under deploy/ and components/ holding a kustomization.yaml.</summary>
internal static class Kustomizations
{
    public const string Base = "deploy/base";
    public const string Dev = "deploy/overlays/dev";
    public const string Production = "deploy/overlays/production";
    public const string EnvoyGateway = "deploy/gateway/envoy-gateway";
    public const string Envoy = "deploy/gateway/envoy";
    public const string Pool = "deploy/model-servers/pool";
    public const string ModelSim = "deploy/model-servers/model-sim";
    public const string Vllm = "deploy/model-servers/vllm";
    public const string Autoscaling = "deploy/autoscaling";
    public const string Components = "components";

    private static readonly string[] Roots = ["deploy", "components"];

    /// <summary>The renderings that run the four services: the base and its overlays.</summary>
    public static IReadOnlyList<string> ServiceRenderings { get; } = [Base, Dev, Production];

    /// <summary>Repository-relative directories, sorted, found by looking rather than listed by hand.</summary>
    public static IReadOnlyList<string> All { get; } = Discover();

    public static IEnumerable<string> Under(string prefix) =>
        All.Where(directory => directory.StartsWith(prefix + "/", StringComparison.Ordinal));

    private static string[] Discover() =>
    [
        .. Roots
            .SelectMany(top => Directory.EnumerateFiles(Repository.PathOf(top), "kustomization.yaml", SearchOption.AllDirectories))
            .Select(file => Repository.Relative(Path.GetDirectoryName(file)!))
            .Order(StringComparer.Ordinal),
    ];
}
