using System.Text.Json.Nodes;
using Suite.Deploy.Tests.Support;

namespace Suite.Deploy.Tests.Rbac;

/// <summary>
/// deploy/base carries its own copy of the collector's and the catalog's RBAC (so the base applies on its own);
/// deploy/rbac is the least-privilege reference the catalog's RBAC test checks. The two must grant the same.
/// </summary>
internal static class RbacCopies
{
    public const string Folder = "deploy/rbac";

    private static readonly string[] RoleKinds = ["Role", "ClusterRole"];
    private static readonly string[] BindingKinds = ["RoleBinding", "ClusterRoleBinding"];

    public static ManifestSet Reference() => new(
        Folder,
        [
            .. Directory.EnumerateFiles(Repository.PathOf(Folder), "*.yaml")
                .Order(StringComparer.Ordinal)
                .SelectMany(file => YamlManifests.ReadFile(Repository.Relative(file)).Items),
        ]);

    /// <summary>Roles and ClusterRoles of either side that the other lacks or grants differently.</summary>
    public static IReadOnlyList<string> CompareRules(ManifestSet baseRendering, ManifestSet reference) =>
        Compare(baseRendering, reference, RoleKinds, role => role.Json.At("rules"), "rules");

    /// <summary>Bindings of either side that the other lacks or that bind another role or other subjects.</summary>
    public static IReadOnlyList<string> CompareBindings(ManifestSet baseRendering, ManifestSet reference) =>
        Compare(baseRendering, reference, BindingKinds, binding => new JsonObject
        {
            ["roleRef"] = binding.Json.At("roleRef")?.DeepClone(),
            ["subjects"] = binding.Json.At("subjects")?.DeepClone(),
        }, "roleRef and subjects");

    private static List<string> Compare(ManifestSet left, ManifestSet right, string[] kinds, Func<Manifest, JsonNode?> grant, string what)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        var problems = new List<string>();
        var leftItems = left.Items.Where(item => kinds.Contains(item.Kind)).ToDictionary(item => item.Title, StringComparer.Ordinal);
        var rightItems = right.Items.Where(item => kinds.Contains(item.Kind)).ToDictionary(item => item.Title, StringComparer.Ordinal);
        foreach (var title in leftItems.Keys.Union(rightItems.Keys).Order(StringComparer.Ordinal))
        {
            if (!rightItems.TryGetValue(title, out var rightItem))
            {
                problems.Add($"{title} is in {left.Source} but not in {right.Source}");
            }
            else if (!leftItems.TryGetValue(title, out var leftItem))
            {
                problems.Add($"{title} is in {right.Source} but not in {left.Source}");
            }
            else if (!JsonNode.DeepEquals(grant(leftItem), grant(rightItem)))
            {
                problems.Add($"{title}: {what} differ: {left.Source} has {grant(leftItem)?.ToJsonString()}, {right.Source} has {grant(rightItem)?.ToJsonString()}");
            }
        }

        return problems;
    }
}
