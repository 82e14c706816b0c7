using System.Globalization;
using System.Text.Json.Nodes;
using Suite.Deploy.Tests.Apps;
using Suite.Deploy.Tests.Support;

namespace Suite.Deploy.Tests.Checks;

/// <summary>
/// Everything that calls the queue's gRPC port: KEDA's ScaledObjects (external scaler) and the pickers' queue
/// addresses must reach a queue Service of deploy/base on that port; a trigger names a pool that exists, with
/// metadata the queue accepts, and scales a Deployment that exists next to it.
/// </summary>
internal static class QueueScaling
{
    private static readonly string[] ExternalTriggers = ["external", "external-push"];

    /// <param name="pools">Every InferencePool defined under deploy/ (renderings and examples).</param>
    /// <param name="scaleTargets">The workloads a ScaledObject may scale: deploy/model-servers and deploy/examples.</param>
    public static IReadOnlyList<string> CheckScaledObjects(IEnumerable<Manifest> scaledObjects, ManifestSet baseRendering, IReadOnlyCollection<Manifest> pools, ManifestSet scaleTargets)
    {
        ArgumentNullException.ThrowIfNull(scaledObjects);
        ArgumentNullException.ThrowIfNull(pools);
        ArgumentNullException.ThrowIfNull(scaleTargets);
        var problems = new List<string>();
        foreach (var scaledObject in scaledObjects)
        {
            var where = $"{scaledObject.Source}: {scaledObject.Title}";
            var target = scaledObject.Json.At("spec", "scaleTargetRef");
            var kind = target.At("kind").Text() ?? "Deployment";
            var name = target.At("name").Text();
            if (scaleTargets.Items.FirstOrDefault(item => item.Kind == kind && item.Name == name && item.Namespace == scaledObject.Namespace) is null)
            {
                problems.Add($"{where}: scaleTargetRef {kind} {name} is not a {kind} in namespace {scaledObject.Namespace} of {scaleTargets.Source} "
                    + $"(there: {string.Join(", ", scaleTargets.OfKind(kind).Select(item => $"{item.Name} in {item.Namespace}"))})");
            }

            var index = 0;
            foreach (var trigger in scaledObject.Json.At("spec", "triggers").Objects())
            {
                if (ExternalTriggers.Contains(trigger.At("type").Text() ?? ""))
                {
                    CheckTrigger($"{where}: trigger {index}", trigger, scaledObject.Namespace, baseRendering, pools, problems);
                }

                index++;
            }
        }

        return problems;
    }

    /// <summary>Each picker's Picker__Queue__Addresses__N reaches the queue's gRPC port.</summary>
    public static IReadOnlyList<string> CheckPickerQueueAddresses(ManifestSet rendered)
    {
        ArgumentNullException.ThrowIfNull(rendered);
        var problems = new List<string>();
        var prefix = SuiteApps.Picker.EnvironmentKey("Queue__Addresses__");
        foreach (var (pod, _) in DaprAnnotations.SidecarWorkloads(rendered).Where(workload => workload.App?.AppId == SuiteApps.Picker.AppId))
        {
            if (DaprAnnotations.AppContainer(pod, SuiteApps.Picker.AppId) is not { } container)
            {
                continue;
            }

            foreach (var (key, value) in PodTemplate.Environment(container).Where(variable => variable.Key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)))
            {
                var problem = Uri.TryCreate(value, UriKind.Absolute, out var address)
                    ? AddressProblem(rendered, $"{address.Host}:{address.Port.ToString(CultureInfo.InvariantCulture)}", pod.Owner.Namespace)
                    : $"\"{value}\" is not an absolute http:// address";
                if (problem is not null)
                {
                    problems.Add($"{rendered.Source}: {pod.Owner.Title}: {key} {value}: {problem}");
                }
            }
        }

        return problems;
    }

    /// <summary>Why <c>host:port</c> does not reach the queue's gRPC port through a queue Service; null when it does.</summary>
    public static string? AddressProblem(ManifestSet baseRendering, string hostAndPort, string? defaultNamespace)
    {
        ArgumentNullException.ThrowIfNull(baseRendering);
        ArgumentNullException.ThrowIfNull(hostAndPort);
        var colon = hostAndPort.LastIndexOf(':');
        if (colon < 0 || !int.TryParse(hostAndPort[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            return $"\"{hostAndPort}\" is not host:port";
        }

        var host = hostAndPort[..colon];
        var queues = ServiceRouting.ServicesOfApp(baseRendering, SuiteApps.Queue.AppId);
        var service = ServiceRouting.Resolve(baseRendering, host, defaultNamespace);
        if (service is null || !queues.Contains(service))
        {
            return $"{host} is not a Service that selects the queue in {baseRendering.Source} "
                + $"({string.Join(", ", queues.Select(queue => $"{queue.Name} in {queue.Namespace}"))})";
        }

        var grpcPort = SuiteApps.QueueGrpcPort;
        return port != grpcPort
            ? $"port {port} is not the queue's gRPC port {grpcPort} (QueueOptions.GrpcPort)"
            : ServiceRouting.Reaches(baseRendering, service, grpcPort, grpcPort);
    }

    private static void CheckTrigger(string where, JsonObject trigger, string? @namespace, ManifestSet baseRendering, IReadOnlyCollection<Manifest> pools, List<string> problems)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in (trigger.At("metadata") as JsonObject)?.ToList() ?? [])
        {
            // KEDA's metadata is map[string]string: an unquoted number is rejected by its CRD.
            if (value.String() is { } text)
            {
                metadata[key] = text;
            }
            else
            {
                problems.Add($"{where}: metadata {key} is {value?.ToJsonString()}, not a string (KEDA's metadata values are strings)");
            }
        }

        if (!metadata.TryGetValue("scalerAddress", out var address))
        {
            problems.Add($"{where}: no scalerAddress");
        }
        else if (AddressProblem(baseRendering, address, @namespace) is { } problem)
        {
            problems.Add($"{where}: scalerAddress {address}: {problem}");
        }

        if (metadata.TryGetValue("pool", out var pool) && !pools.Any(candidate => candidate.Name == pool))
        {
            problems.Add($"{where}: pool {pool} is not an InferencePool defined under deploy/ ({string.Join(", ", pools.Select(candidate => candidate.Name).Distinct().Order(StringComparer.Ordinal))})");
        }

        if (QueueScalerMetadata.Problem(metadata) is { } rejected)
        {
            problems.Add($"{where}: the queue's scaler rejects the metadata: {rejected}");
        }
    }
}
