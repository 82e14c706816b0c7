using System.Text.Json.Nodes;

namespace Suite.Kubernetes.Tests.Fakes;

/// <summary>A change as the API server keeps it for watches: its resourceVersion, the object after it, and the rendered event.</summary>
internal sealed record InMemoryEvent(long ResourceVersion, JsonObject Object, string Line)
{
    public static InMemoryEvent Of(string type, long resourceVersion, JsonObject resource) =>
        new(resourceVersion, resource, new JsonObject { ["type"] = type, ["object"] = resource.DeepClone() }.ToJsonString());
}
