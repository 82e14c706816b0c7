using System.Globalization;
using System.Text.Json.Nodes;

namespace Suite.Kubernetes.Tests.Fakes;

/// <summary>Reading and stamping the metadata of an object kept as JSON.</summary>
internal static class InMemoryObject
{
    public static JsonObject MetadataOf(JsonObject resource)
    {
        if (resource["metadata"] is JsonObject metadata)
        {
            return metadata;
        }

        metadata = [];
        resource["metadata"] = metadata;
        return metadata;
    }

    public static string? NameOf(JsonObject resource) => StringOf(resource["metadata"]?["name"]);

    /// <summary>Empty for a cluster-scoped object.</summary>
    public static string NamespaceOf(JsonObject resource) => StringOf(resource["metadata"]?["namespace"]) ?? string.Empty;

    public static string? ResourceVersionOf(JsonObject resource) => StringOf(resource["metadata"]?["resourceVersion"]);

    public static string? StringOf(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    public static void CopyMember(JsonObject from, JsonObject to, string name)
    {
        if (from[name] is { } value)
        {
            to[name] = value.DeepClone();
        }
        else
        {
            to.Remove(name);
        }
    }

    /// <summary>Gives a new object the identity the API server assigns: uid and creation time (kept from the object it replaces).</summary>
    public static void Stamp(JsonObject resource, JsonObject? existing)
    {
        var metadata = MetadataOf(resource);
        var previous = existing is null ? null : MetadataOf(existing);
        metadata["uid"] ??= previous?["uid"]?.DeepClone() ?? Guid.NewGuid().ToString();
        metadata["creationTimestamp"] ??= previous?["creationTimestamp"]?.DeepClone()
            ?? DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
    }
}
