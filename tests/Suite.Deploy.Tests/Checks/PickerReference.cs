using Suite.Deploy.Tests.Apps;
using Suite.Deploy.Tests.Support;

namespace Suite.Deploy.Tests.Checks;

/// <summary>Whether a reference a gateway or a pool makes reaches the picker's ext_proc port through a Service of deploy/base.</summary>
internal static class PickerReference
{
    /// <summary>Why the reference misses the picker; null when it reaches it.</summary>
    /// <param name="group">The referenced API group ("" or null: the core group, where Service lives).</param>
    public static string? Problem(ManifestSet baseRendering, string? group, string? kind, string? name, string? @namespace, int? port)
    {
        ArgumentNullException.ThrowIfNull(baseRendering);
        if (!string.IsNullOrEmpty(group) || kind != "Service")
        {
            return $"{(string.IsNullOrEmpty(group) ? "" : group + "/")}{kind} {name} is not a Service";
        }

        var pickers = ServiceRouting.ServicesOfApp(baseRendering, SuiteApps.Picker.AppId);
        var service = pickers.FirstOrDefault(candidate => candidate.Name == name && candidate.Namespace == @namespace);
        if (service is null)
        {
            return $"Service {name} in namespace {@namespace} is not one that selects the picker in {baseRendering.Source} "
                + $"({string.Join(", ", pickers.Select(picker => $"{picker.Name} in {picker.Namespace}"))})";
        }

        var grpcPort = SuiteApps.PickerGrpcPort;
        if (port != grpcPort)
        {
            return $"port {port} is not the picker's ext_proc port {grpcPort} (PickerOptions.GrpcPort)";
        }

        return ServiceRouting.Reaches(baseRendering, service, grpcPort, grpcPort);
    }
}
