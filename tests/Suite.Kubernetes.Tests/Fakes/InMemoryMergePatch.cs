using System.Text.Json.Nodes;

namespace Suite.Kubernetes.Tests.Fakes;

/// <summary>RFC 7386 JSON merge patch: objects merge member by member, <c>null</c> removes a member, anything else replaces.</summary>
internal static class InMemoryMergePatch
{
    /// <returns>A new node; neither argument is changed. Null when the patch removes the target altogether.</returns>
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject members)
        {
            return patch?.DeepClone();
        }

        var result = target is JsonObject targetObject ? (JsonObject)targetObject.DeepClone() : [];
        foreach (var (name, value) in members)
        {
            if (value is null)
            {
                result.Remove(name);
            }
            else
            {
                result[name] = Apply(result[name], value);
            }
        }

        return result;
    }
}
