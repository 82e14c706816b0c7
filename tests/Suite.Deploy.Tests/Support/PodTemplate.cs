using System.Text.Json.Nodes;

namespace Suite.Deploy.Tests.Support;

/// <summary>The pod a workload runs (a Deployment's or StatefulSet's template, or a Pod itself) and its owner.</summary>
internal sealed record PodTemplate(Manifest Owner, JsonObject Template)
{
    public IReadOnlyDictionary<string, string> Labels => Template.At("metadata", "labels").StringMap();

    public JsonObject? Annotations => Template.At("metadata", "annotations") as JsonObject;

    public IEnumerable<JsonObject> Containers => Template.At("spec", "containers").Objects();

    public static PodTemplate? Of(Manifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var template = manifest.Kind switch
        {
            "Deployment" or "StatefulSet" or "DaemonSet" or "ReplicaSet" or "Job" => manifest.Json.At("spec", "template"),
            "CronJob" => manifest.Json.At("spec", "jobTemplate", "spec", "template"),
            "Pod" => manifest.Json,
            _ => null,
        };
        return template is JsonObject pod ? new PodTemplate(manifest, pod) : null;
    }

    public static IEnumerable<PodTemplate> In(ManifestSet set) => set.Items.Select(Of).OfType<PodTemplate>();

    /// <summary>The container's ports as (name, containerPort); an unnamed port has a null name.</summary>
    public static IEnumerable<(string? Name, int? Number)> Ports(JsonObject container) =>
        container.At("ports").Objects().Select(port => (port.At("name").String(), port.At("containerPort").Int()));

    /// <summary>
    /// The container's environment: literal values, and null for a variable set from elsewhere (valueFrom), whose
    /// value the manifest does not know.
    /// </summary>
    public static IReadOnlyDictionary<string, string?> Environment(JsonObject container)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var variable in container.At("env").Objects())
        {
            if (variable.At("name").String() is { } name)
            {
                environment[name] = variable.At("value").Text();
            }
        }

        return environment;
    }

    /// <summary>Whether every label of <paramref name="selector"/> is on this pod, as a Service or a Deployment selects.</summary>
    public bool MatchesSelector(IReadOnlyDictionary<string, string> selector) =>
        selector.Count > 0 && selector.All(label => Labels.TryGetValue(label.Key, out var value) && value == label.Value);
}
