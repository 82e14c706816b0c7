using System.Globalization;
using System.Text.Json.Nodes;
using Suite.Deploy.Tests.Apps;
using Suite.Deploy.Tests.Support;

namespace Suite.Deploy.Tests.Checks;

/// <summary>
/// The Dapr sidecar annotations of the services' workloads: each of the four app-ids once, the sidecar delivering to
/// the port the app serves HTTP on, over HTTP, with the suite's Configuration.
/// </summary>
internal static class DaprAnnotations
{
    public const string Enabled = "dapr.io/enabled";
    public const string AppId = "dapr.io/app-id";
    public const string AppPort = "dapr.io/app-port";
    public const string AppProtocol = "dapr.io/app-protocol";
    public const string Config = "dapr.io/config";

    /// <summary>Workloads with a Dapr sidecar, with the suite app their app-id names (null for an unknown one).</summary>
    public static IEnumerable<(PodTemplate Pod, SuiteApp? App)> SidecarWorkloads(ManifestSet rendered) =>
        PodTemplate.In(rendered)
            .Where(pod => pod.Owner.Kind is "Deployment" or "StatefulSet" && pod.Annotations.At(Enabled).Text() == "true")
            .Select(pod => (pod, SuiteApps.ById(pod.Annotations.At(AppId).Text() ?? "")));

    /// <summary>The container the app runs in: the one named like the app-id, else the only one.</summary>
    public static JsonObject? AppContainer(PodTemplate pod, string appId)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var containers = pod.Containers.ToList();
        return containers.FirstOrDefault(container => container.At("name").Text() == appId)
            ?? (containers.Count == 1 ? containers[0] : null);
    }

    /// <param name="configurationName">The Dapr Configuration's name (components/configuration.yaml).</param>
    public static IReadOnlyList<string> Check(ManifestSet rendered, string configurationName)
    {
        ArgumentNullException.ThrowIfNull(rendered);
        var problems = new List<string>();
        var runners = SuiteApps.AppIds.ToDictionary(id => id, _ => new List<string>(), StringComparer.Ordinal);
        foreach (var (pod, app) in SidecarWorkloads(rendered))
        {
            var where = $"{rendered.Source}: {pod.Owner.Title}";
            var annotations = pod.Annotations!;
            if (annotations.At(Enabled).String() is null)
            {
                problems.Add($"{where}: {Enabled} must be the string \"true\", not a boolean (annotation values are strings)");
            }

            if (app is null)
            {
                problems.Add($"{where}: {AppId} \"{annotations.At(AppId).Text()}\" is not one of {string.Join(", ", SuiteApps.AppIds)}");
                continue;
            }

            runners[app.AppId].Add(pod.Owner.Title);
            if (AppContainer(pod, app.AppId) is not { } container)
            {
                problems.Add($"{where}: no container named {app.AppId}, and more than one container");
                continue;
            }

            var httpPort = app.EffectivePorts(PodTemplate.Environment(container))[SuiteApp.HttpPort];
            var appPort = annotations.At(AppPort).Text();
            if (appPort != httpPort.ToString(CultureInfo.InvariantCulture))
            {
                problems.Add($"{where}: {AppPort} \"{appPort}\" is not the port the app serves HTTP on, {app.EnvironmentKey(SuiteApp.HttpPort)} = {httpPort}");
            }

            if (!PodTemplate.Ports(container).Any(port => port.Number?.ToString(CultureInfo.InvariantCulture) == appPort))
            {
                problems.Add($"{where}: {AppPort} \"{appPort}\" is not a containerPort of container {container.At("name").Text()}");
            }

            if (annotations.At(AppProtocol).Text() != "http")
            {
                problems.Add($"{where}: {AppProtocol} \"{annotations.At(AppProtocol).Text()}\" is not http (the apps serve the sidecar HTTP/1.1)");
            }

            if (annotations.At(Config).Text() != configurationName)
            {
                problems.Add($"{where}: {Config} \"{annotations.At(Config).Text()}\" is not the Dapr Configuration {configurationName} (components/configuration.yaml)");
            }
        }

        foreach (var (appId, titles) in runners)
        {
            if (titles.Count != 1)
            {
                problems.Add(titles.Count == 0
                    ? $"{rendered.Source}: no Deployment or StatefulSet runs {AppId} {appId}"
                    : $"{rendered.Source}: {AppId} {appId} is run by {string.Join(" and ", titles)}; each app-id must be one workload");
            }
        }

        return problems;
    }
}
