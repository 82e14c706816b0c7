namespace Suite.Kubernetes.Tests.Fakes;

/// <summary>One resource collection of the in-memory API server: <c>pods</c> in <c>v1</c>, <c>leases</c> in <c>coordination.k8s.io/v1</c>.</summary>
/// <param name="Group">Empty for the core group.</param>
internal sealed record InMemoryKind(string Group, string Version, string Plural)
{
    public static readonly InMemoryKind Pods = new(string.Empty, "v1", "pods");

    public static readonly InMemoryKind Leases = new("coordination.k8s.io", "v1", "leases");

    public string ApiVersion => Group.Length == 0 ? Version : Group + "/" + Version;

    /// <summary>How the API server names the resource in its messages: <c>leases.coordination.k8s.io</c>, <c>pods</c>.</summary>
    public string Resource => Group.Length == 0 ? Plural : Plural + "." + Group;

    /// <summary>English plural of a kind, as CRDs conventionally name it: <c>InferencePool</c> → <c>inferencepools</c>, <c>Policy</c> → <c>policies</c>.</summary>
    public static string PluralOf(string kind)
    {
        var lower = kind.ToLowerInvariant();
        if (lower.EndsWith('s') || lower.EndsWith('x') || lower.EndsWith('z') || lower.EndsWith("ch", StringComparison.Ordinal) || lower.EndsWith("sh", StringComparison.Ordinal))
        {
            return lower + "es";
        }

        return lower.Length > 1 && lower[^1] == 'y' && !"aeiou".Contains(lower[^2], StringComparison.Ordinal) ? lower[..^1] + "ies" : lower + "s";
    }
}
