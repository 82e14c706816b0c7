namespace Suite.Kubernetes.Tests.Fakes;

/// <summary>
/// A request path taken apart: <c>/api/{version}</c> or <c>/apis/{group}/{version}</c>, then optionally
/// <c>namespaces/{namespace}</c>, then <c>{plural}[/{name}[/{subresource}]]</c>.
/// </summary>
/// <param name="Namespace">Null for every namespace (a collection) or a cluster-scoped path.</param>
/// <param name="Name">Null for the collection.</param>
/// <param name="Subresource">E.g. <c>status</c>.</param>
internal sealed record InMemoryRoute(InMemoryKind Kind, string? Namespace, string? Name, string? Subresource)
{
    public static InMemoryRoute? Parse(string path)
    {
        var segments = path.Trim('/').Split('/');
        int rest;
        InMemoryKind? kind;
        if (segments is ["api", var coreVersion, ..])
        {
            (rest, kind) = (2, new InMemoryKind(string.Empty, coreVersion, string.Empty));
        }
        else if (segments is ["apis", var group, var version, ..])
        {
            (rest, kind) = (3, new InMemoryKind(group, version, string.Empty));
        }
        else
        {
            return null;
        }

        string? ns = null;
        if (segments.Length - rest >= 3 && segments[rest] == "namespaces")
        {
            ns = segments[rest + 1];
            rest += 2;
        }

        return (segments.Length - rest) switch
        {
            1 => new InMemoryRoute(kind with { Plural = segments[rest] }, ns, null, null),
            2 => new InMemoryRoute(kind with { Plural = segments[rest] }, ns, segments[rest + 1], null),
            3 => new InMemoryRoute(kind with { Plural = segments[rest] }, ns, segments[rest + 1], segments[rest + 2]),
            _ => null,
        };
    }
}
