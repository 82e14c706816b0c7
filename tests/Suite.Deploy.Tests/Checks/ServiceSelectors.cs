using Suite.Deploy.Tests.Support;

namespace Suite.Deploy.Tests.Checks;

/// <summary>
/// Every Service of a rendering selects pods of that rendering, and every port of it lands on a port those pods
/// declare: a Service that selects nothing, or names a port no container has, has no endpoints and fails silently.
/// </summary>
internal static class ServiceSelectors
{
    public static IReadOnlyList<string> Check(ManifestSet rendered)
    {
        ArgumentNullException.ThrowIfNull(rendered);
        var problems = new List<string>();
        foreach (var service in rendered.OfKind("Service"))
        {
            var where = $"{rendered.Source}: {service.Title}";
            var selector = service.Json.At("spec", "selector").StringMap();
            if (selector.Count == 0)
            {
                continue; // endpoints managed by hand (or ExternalName): nothing to select
            }

            var pods = ServiceRouting.Selected(rendered, service);
            if (pods.Count == 0)
            {
                problems.Add($"{where}: selector {string.Join(", ", selector.Select(label => $"{label.Key}={label.Value}"))} matches no pod template in the rendering");
                continue;
            }

            foreach (var port in service.Json.At("spec", "ports").Objects())
            {
                foreach (var pod in pods.Where(pod => ServiceRouting.ContainerPort(pod, port) is null))
                {
                    problems.Add($"{where}: port {port.At("name").Text() ?? port.At("port").Text()} targets {(port.At("targetPort") ?? port.At("port")).Text()}, which no container of {pod.Owner.Title} declares");
                }
            }
        }

        return problems;
    }
}
