using System.Text.Json.Nodes;
using Suite.Deploy.Tests.Apps;
using Suite.Deploy.Tests.Support;

namespace Suite.Deploy.Tests.Checks;

/// <summary>
/// The plain Envoy of deploy/gateway/envoy: its bootstrap (envoy.yaml, in the generated ConfigMap) runs the ext_proc
/// filter against a cluster that is the picker's Service on its ext_proc port over HTTP/2, and routes to the pod the
/// picker names in the destination header through an original-destination cluster.
/// </summary>
internal static class EnvoyBootstrap
{
    public const string FileName = "envoy.yaml";
    public const string ExtProcFilter = "envoy.filters.http.ext_proc";
    public const string FullDuplexStreamed = "FULL_DUPLEX_STREAMED";

    public static IReadOnlyList<string> Check(ManifestSet envoy, ManifestSet baseRendering)
    {
        ArgumentNullException.ThrowIfNull(envoy);
        var problems = new List<string>();
        var configMaps = envoy.OfKind("ConfigMap").Where(map => map.Json.At("data", FileName) is not null).ToList();
        if (configMaps.Count == 0)
        {
            problems.Add($"{envoy.Source}: no ConfigMap holds {FileName}");
        }

        foreach (var configMap in configMaps)
        {
            var where = $"{envoy.Source}: {configMap.Title} {FileName}";
            if (!Mounted(envoy, configMap))
            {
                problems.Add($"{where}: no Envoy container runs with --config-path at this ConfigMap's {FileName}");
            }

            var bootstrap = YamlManifests.Documents(configMap.Json.At("data", FileName).Text()!)[0];
            var clusters = bootstrap.At("static_resources", "clusters").Objects().ToList();
            var managers = bootstrap.At("static_resources", "listeners").Objects()
                .SelectMany(listener => listener.At("filter_chains").Objects())
                .SelectMany(chain => chain.At("filters").Objects())
                .Select(filter => filter.At("typed_config"))
                .OfType<JsonObject>()
                .ToList();
            CheckExtProc(where, managers, clusters, baseRendering, configMap.Namespace, problems);
            CheckRoutes(where, managers, clusters, problems);
        }

        return problems;
    }

    private static void CheckExtProc(string where, List<JsonObject> managers, List<JsonObject> clusters, ManifestSet baseRendering, string? @namespace, List<string> problems)
    {
        var extProc = managers.SelectMany(manager => manager.At("http_filters").Objects())
            .FirstOrDefault(filter => filter.At("name").Text() == ExtProcFilter)?.At("typed_config");
        if (extProc is null)
        {
            problems.Add($"{where}: no {ExtProcFilter} filter");
            return;
        }

        foreach (var mode in new[] { "request_body_mode", "response_body_mode" })
        {
            if (extProc.At("processing_mode", mode).Text() is var value && value != FullDuplexStreamed)
            {
                problems.Add($"{where}: ext_proc processing_mode.{mode} is {value ?? "unset"}, not {FullDuplexStreamed}");
            }
        }

        var clusterName = extProc.At("grpc_service", "envoy_grpc", "cluster_name").Text();
        var cluster = clusters.FirstOrDefault(candidate => candidate.At("name").Text() == clusterName);
        if (cluster is null)
        {
            problems.Add($"{where}: the ext_proc filter calls cluster {clusterName}, which is not defined");
            return;
        }

        // gRPC needs HTTP/2 to the picker; Envoy speaks HTTP/1.1 upstream unless told otherwise.
        var http2 = cluster.At("typed_extension_protocol_options", "envoy.extensions.upstreams.http.v3.HttpProtocolOptions", "explicit_http_config", "http2_protocol_options")
            ?? cluster.At("http2_protocol_options");
        if (http2 is null)
        {
            problems.Add($"{where}: cluster {clusterName} does not speak HTTP/2 to the picker (explicit_http_config.http2_protocol_options)");
        }

        var endpoints = cluster.At("load_assignment", "endpoints").Objects()
            .SelectMany(locality => locality.At("lb_endpoints").Objects())
            .Select(endpoint => endpoint.At("endpoint", "address", "socket_address"))
            .ToList();
        if (endpoints.Count == 0)
        {
            problems.Add($"{where}: cluster {clusterName} has no endpoint");
        }

        foreach (var endpoint in endpoints)
        {
            var address = endpoint.At("address").Text() ?? "";
            var service = ServiceRouting.Resolve(baseRendering, address, @namespace);
            var problem = service is null
                ? $"{address} is not the name of a Service in {baseRendering.Source}"
                : PickerReference.Problem(baseRendering, "", "Service", service.Name, service.Namespace, endpoint.At("port_value").Int());
            if (problem is not null)
            {
                problems.Add($"{where}: cluster {clusterName} endpoint {address}:{endpoint.At("port_value").Text()}: {problem}");
            }
        }
    }

    private static void CheckRoutes(string where, List<JsonObject> managers, List<JsonObject> clusters, List<string> problems)
    {
        var routed = managers.SelectMany(manager => manager.At("route_config", "virtual_hosts").Objects())
            .SelectMany(host => host.At("routes").Objects())
            .Select(route => route.At("route", "cluster").Text())
            .ToList();
        if (routed.Count == 0)
        {
            problems.Add($"{where}: no route sends requests to a cluster");
        }

        foreach (var name in routed.Distinct())
        {
            var cluster = clusters.FirstOrDefault(candidate => candidate.At("name").Text() == name);
            var header = cluster.At("original_dst_lb_config", "http_header_name").Text();
            if (cluster.At("type").Text() != "ORIGINAL_DST" || cluster.At("original_dst_lb_config", "use_http_header").Text() != "true" || header != SuiteApps.DestinationHeader)
            {
                problems.Add($"{where}: routes go to cluster {name}, which is not ORIGINAL_DST on header {SuiteApps.DestinationHeader} "
                    + $"(type {cluster.At("type").Text() ?? "unset"}, header {header ?? "unset"})");
            }
        }
    }

    // The Deployment mounts the ConfigMap (kustomize renames it with a hash suffix) and points Envoy at the file.
    private static bool Mounted(ManifestSet envoy, Manifest configMap) =>
        PodTemplate.In(envoy).Any(pod =>
            pod.Template.At("spec", "volumes").Objects()
                .Where(volume => volume.At("configMap", "name").Text() == configMap.Name)
                .Any(volume => pod.Containers.Any(container =>
                    container.At("volumeMounts").Objects().Any(mount =>
                        mount.At("name").Text() == volume.At("name").Text()
                        && ConfigPath(container) == $"{mount.At("mountPath").Text()?.TrimEnd('/')}/{FileName}"))));

    private static string? ConfigPath(JsonObject container)
    {
        List<string> arguments = [.. Strings(container.At("command")), .. Strings(container.At("args"))];
        var flag = arguments.FindIndex(argument => argument is "--config-path" or "-c");
        return flag >= 0 && flag + 1 < arguments.Count ? arguments[flag + 1] : null;
    }

    private static IEnumerable<string> Strings(JsonNode? node) => node is JsonArray array ? array.Select(item => item.Text() ?? "") : [];
}
