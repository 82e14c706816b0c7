using k8s;
using k8s.Models;
using Suite.Catalog.Tests.Support;
using Suite.Kubernetes.Tests.Fakes;

namespace Suite.Catalog.Tests.Kubernetes;

/// <summary>Every write the catalog makes is allowed by <c>deploy/rbac/catalog.yaml</c>, read as Kubernetes would.</summary>
public sealed class RbacTests
{
    [Fact]
    public async Task EveryWriteOfALeadingReplica_IsAllowedByTheCatalogsRoles()
    {
        await using var server = await Cluster.StartAsync();
        Cluster.PutModel(server, "sql", "sql-assistant", "chat-pool", "2026-11-01T09:00:00Z");
        await using (var catalog = CatalogReplica.Start(server, "a"))
        {
            await Eventually.AssertAsync(() => Cluster.StatusWrites(server).Count == 1, "the model's status");
        }

        var rules = Rules();
        var writes = server.Writes.Where(w => w.StatusCode is >= 200 and < 300).ToList();

        Assert.Equal(
            ["PATCH inferencemodels/status", "POST leases", "PUT leases"],
            writes.Select(w => $"{w.Method} {Resource(w.Path).Resource}").Distinct().Order(StringComparer.Ordinal));
        Assert.All(writes, write => Assert.True(Allowed(rules, write), $"deploy/rbac/catalog.yaml does not allow {write.Method} {write.Path}"));
    }

    private static bool Allowed(List<(V1PolicyRule Rule, string? Namespace)> rules, InMemoryWrite write)
    {
        var (group, ns, resource, name) = Resource(write.Path);
        var verb = write.Method switch { "POST" => "create", "PUT" => "update", "PATCH" => "patch", _ => "delete" };
        return rules.Any(r => (r.Namespace is null || r.Namespace == ns)
            && r.Rule.ApiGroups.Contains(group)
            && r.Rule.Resources.Contains(resource)
            && r.Rule.Verbs.Contains(verb)
            && (r.Rule.ResourceNames is null || r.Rule.ResourceNames.Count == 0 || (name is not null && r.Rule.ResourceNames.Contains(name))));
    }

    /// <summary>(group, namespace, resource or resource/subresource, name) of an API path.</summary>
    private static (string Group, string? Namespace, string Resource, string? Name) Resource(string path)
    {
        var parts = path.Trim('/').Split('/');
        var (group, rest) = parts[0] == "api" ? ("", parts[2..]) : (parts[1], parts[3..]);
        string? ns = null;
        if (rest.Length >= 2 && rest[0] == "namespaces")
        {
            ns = rest[1];
            rest = rest[2..];
        }

        return rest.Length switch
        {
            1 => (group, ns, rest[0], null),
            2 => (group, ns, rest[0], rest[1]),
            _ => (group, ns, $"{rest[0]}/{rest[2]}", rest[1]),
        };
    }

    /// <summary>ClusterRole rules apply everywhere; Role rules in the Role's namespace. Only roles bound to the catalog's account count.</summary>
    private static List<(V1PolicyRule Rule, string? Namespace)> Rules()
    {
        var objects = KubernetesYaml.LoadAllFromString(File.ReadAllText(Path.Combine(RepositoryRoot(), "deploy", "rbac", "catalog.yaml")));
        var bound = objects.OfType<V1ClusterRoleBinding>().Where(b => b.Subjects.Any(s => s.Name == "catalog")).Select(b => b.RoleRef.Name)
            .Concat(objects.OfType<V1RoleBinding>().Where(b => b.Subjects.Any(s => s.Name == "catalog")).Select(b => b.RoleRef.Name))
            .ToHashSet();
        return
        [
            .. objects.OfType<V1ClusterRole>().Where(r => bound.Contains(r.Metadata.Name)).SelectMany(r => r.Rules).Select(rule => (rule, (string?)null)),
            .. objects.OfType<V1Role>().Where(r => bound.Contains(r.Metadata.Name)).SelectMany(r => r.Rules.Select(rule => (rule, (string?)r.Metadata.NamespaceProperty))),
        ];
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Suite.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Suite.sln above {AppContext.BaseDirectory}");
    }
}
