using System.Text.Json.Nodes;
using Suite.Deploy.Tests.Apps;
using Suite.Deploy.Tests.Support;

namespace Suite.Deploy.Tests.Checks;

/// <summary>
/// The Dapr components against the apps: scopes name real app-ids, every component an app asks for exists (and is
/// scoped to it), the topics fit the pub/sub's allowedTopics, the Resiliency targets real components, and the
/// local folder defines the same components as the cluster's.
/// </summary>
internal static class DaprComponents
{
    public static IReadOnlyList<string> Check(DaprFolder cluster, DaprFolder local, IReadOnlyCollection<ComponentUse> uses, IReadOnlyCollection<string> topics)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(local);
        var problems = new List<string>();
        foreach (var folder in new[] { cluster, local })
        {
            CheckScopes(folder, problems);
            CheckUses(folder, uses, problems);
            CheckTopics(folder, topics, problems);
            CheckResiliencyTargets(folder, problems);
        }

        foreach (var name in cluster.ComponentNames.Except(local.ComponentNames).Order(StringComparer.Ordinal))
        {
            problems.Add($"{local.Folder} has no component {name}, which {cluster.Folder} defines");
        }

        foreach (var name in local.ComponentNames.Except(cluster.ComponentNames).Order(StringComparer.Ordinal))
        {
            problems.Add($"{local.Folder} defines component {name}, which {cluster.Folder} does not");
        }

        return problems;
    }

    private static void CheckScopes(DaprFolder folder, List<string> problems)
    {
        foreach (var resource in folder.Resources.Items)
        {
            foreach (var scope in Scopes(resource).Where(scope => !SuiteApps.AppIds.Contains(scope)))
            {
                problems.Add($"{resource.Source}: {resource.Title}: scope {scope} is not an app-id ({string.Join(", ", SuiteApps.AppIds)})");
            }
        }
    }

    private static void CheckUses(DaprFolder folder, IReadOnlyCollection<ComponentUse> uses, List<string> problems)
    {
        foreach (var use in uses.Distinct())
        {
            var component = folder.Components.FirstOrDefault(candidate => candidate.Name == use.Component);
            if (component is null)
            {
                problems.Add($"{folder.Folder}: {use.AppId} uses Dapr component {use.Component}, which {folder.Folder} does not define");
            }
            else if (Scopes(component) is { Count: > 0 } scopes && !scopes.Contains(use.AppId))
            {
                problems.Add($"{component.Source}: {component.Title}: scopes leave out {use.AppId}, which uses it");
            }
        }
    }

    // A pub/sub may limit its topics (allowedTopics); every topic the apps publish or subscribe to must be among them.
    private static void CheckTopics(DaprFolder folder, IReadOnlyCollection<string> topics, List<string> problems)
    {
        foreach (var component in folder.Components.Where(component => component.Json.At("spec", "type").Text()?.StartsWith("pubsub.", StringComparison.Ordinal) == true))
        {
            var allowed = component.Json.At("spec", "metadata").Objects()
                .FirstOrDefault(item => item.At("name").Text() == "allowedTopics")?.At("value").Text();
            if (allowed is null)
            {
                continue;
            }

            var listed = allowed.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            foreach (var topic in topics.Where(topic => !listed.Contains(topic)))
            {
                problems.Add($"{component.Source}: {component.Title}: allowedTopics leaves out topic {topic}");
            }
        }
    }

    private static void CheckResiliencyTargets(DaprFolder folder, List<string> problems)
    {
        foreach (var resiliency in folder.Resources.OfKind("Resiliency"))
        {
            if (resiliency.Json.At("spec", "targets", "components") is not JsonObject targets)
            {
                continue;
            }

            foreach (var name in targets.Select(target => target.Key).Where(name => !folder.ComponentNames.Contains(name)))
            {
                problems.Add($"{resiliency.Source}: {resiliency.Title}: targets.components names {name}, which {folder.Folder} does not define");
            }
        }
    }

    private static List<string> Scopes(Manifest resource) =>
        resource.Json.At("scopes") is JsonArray scopes ? [.. scopes.Select(scope => scope.Text() ?? "")] : [];
}
