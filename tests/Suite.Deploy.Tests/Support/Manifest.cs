using System.Text.Json.Nodes;

namespace Suite.Deploy.Tests.Support;

/// <summary>One Kubernetes object as JSON, and where it came from (a kustomization or a file), for messages.</summary>
internal sealed record Manifest(string Source, JsonObject Json)
{
    public string ApiVersion => Json.At("apiVersion").Text() ?? "";

    public string Kind => Json.At("kind").Text() ?? "";

    public string Name => Json.At("metadata", "name").Text() ?? "";

    /// <summary>The namespace written on the object; null when it has none (cluster-scoped, or left to kubectl).</summary>
    public string? Namespace => Json.At("metadata", "namespace").Text();

    /// <summary>"Kind name", the way kubectl names an object.</summary>
    public string Title => $"{Kind} {Name}";

    /// <summary>A deep copy with one change, for tests that feed a broken manifest through a check.</summary>
    public Manifest With(Action<JsonObject> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var copy = (JsonObject)Json.DeepClone();
        change(copy);
        return this with { Json = copy };
    }
}
