using System.Globalization;
using System.Text.Json.Nodes;
using Suite.Deploy.Tests.Support;

namespace Suite.Deploy.Tests.Checks;

/// <summary>How Kubernetes routes to a Service: the pod templates it selects, and the container port each of its ports reaches.</summary>
internal static class ServiceRouting
{
    /// <summary>Pod templates in the Service's namespace carrying every label of its selector.</summary>
    public static IReadOnlyList<PodTemplate> Selected(ManifestSet set, Manifest service)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(service);
        var selector = service.Json.At("spec", "selector").StringMap();
        return [.. PodTemplate.In(set).Where(pod => pod.Owner.Namespace == service.Namespace && pod.MatchesSelector(selector))];
    }

    /// <summary>
    /// The container port a Service port lands on in <paramref name="pod"/> (targetPort by name or number; the port
    /// itself when unset), or null when the pod has no such port.
    /// </summary>
    public static int? ContainerPort(PodTemplate pod, JsonObject servicePort)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(servicePort);
        var target = servicePort.At("targetPort") ?? servicePort.At("port");
        var ports = pod.Containers.SelectMany(PodTemplate.Ports).ToList();
        return target.String() is { } name
            ? ports.FirstOrDefault(port => port.Name == name).Number
            : ports.FirstOrDefault(port => port.Number is not null && port.Number == target.Int()).Number;
    }

    /// <summary>The Service port numbered <paramref name="port"/>, or null.</summary>
    public static JsonObject? Port(Manifest service, int port) =>
        service.Json.At("spec", "ports").Objects().FirstOrDefault(candidate => candidate.At("port").Int() == port);

    /// <summary>
    /// Why <paramref name="service"/> on <paramref name="port"/> does not reach container port <paramref name="containerPort"/>
    /// of the pods it selects; null when every selected pod listens there.
    /// </summary>
    public static string? Reaches(ManifestSet set, Manifest service, int port, int containerPort)
    {
        ArgumentNullException.ThrowIfNull(service);
        if (Port(service, port) is not { } servicePort)
        {
            return $"Service {service.Name} has no port {port}";
        }

        var pods = Selected(set, service);
        if (pods.Count == 0)
        {
            return $"Service {service.Name} selects no pod template";
        }

        var wrong = pods.FirstOrDefault(pod => ContainerPort(pod, servicePort) != containerPort);
        return wrong is null
            ? null
            : $"Service {service.Name} port {port} reaches {ContainerPort(wrong, servicePort)?.ToString(CultureInfo.InvariantCulture) ?? "no port"} of {wrong.Owner.Title}, not {containerPort}";
    }

    /// <summary>The Services selecting the pods of the workload whose Dapr app-id is <paramref name="appId"/>.</summary>
    public static IReadOnlyList<Manifest> ServicesOfApp(ManifestSet set, string appId) =>
    [
        .. set.OfKind("Service").Where(service => Selected(set, service)
            .Any(pod => pod.Annotations.At(DaprAnnotations.AppId).Text() == appId)),
    ];

    /// <summary>
    /// The Service an in-cluster host name reaches: <c>svc</c>, <c>svc.ns</c>, a StatefulSet pod through its headless
    /// Service (<c>pod.svc</c>, <c>pod.svc.ns</c>), each optionally followed by <c>.svc</c> or <c>.svc.cluster.local</c>.
    /// </summary>
    public static Manifest? Resolve(ManifestSet set, string host, string? defaultNamespace)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(host);
        var name = host.EndsWith(".svc.cluster.local", StringComparison.Ordinal) ? host[..^".svc.cluster.local".Length]
            : host.EndsWith(".svc", StringComparison.Ordinal) ? host[..^".svc".Length]
            : host;
        var parts = name.Split('.');
        var candidates = new List<(string? Pod, string Service, string? Namespace)>();
        switch (parts.Length)
        {
            case 1:
                candidates.Add((null, parts[0], defaultNamespace));
                break;
            case 2:
                candidates.Add((null, parts[0], parts[1]));
                candidates.Add((parts[0], parts[1], defaultNamespace));
                break;
            case 3:
                candidates.Add((parts[0], parts[1], parts[2]));
                break;
        }

        foreach (var (pod, serviceName, @namespace) in candidates)
        {
            var service = set.OfKind("Service").FirstOrDefault(candidate => candidate.Name == serviceName && candidate.Namespace == @namespace);
            if (service is not null && (pod is null || IsPodOfHeadlessService(set, service, pod)))
            {
                return service;
            }
        }

        return null;
    }

    // queue-0.queue-headless: ordinal 0 of a StatefulSet whose serviceName is that headless Service.
    private static bool IsPodOfHeadlessService(ManifestSet set, Manifest service, string pod) =>
        service.Json.At("spec", "clusterIP").Text() == "None"
        && set.OfKind("StatefulSet").Any(statefulSet =>
            statefulSet.Namespace == service.Namespace
            && statefulSet.Json.At("spec", "serviceName").Text() == service.Name
            && pod.StartsWith(statefulSet.Name + "-", StringComparison.Ordinal)
            && int.TryParse(pod[(statefulSet.Name.Length + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var ordinal)
            && ordinal < (statefulSet.Json.At("spec", "replicas").Int() ?? 1));
}
