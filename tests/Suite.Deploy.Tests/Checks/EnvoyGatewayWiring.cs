using Suite.Deploy.Tests.Support;

namespace Suite.Deploy.Tests.Checks;

/// <summary>
/// Envoy Gateway in front of the pool: the route's backend is the InferencePool, the ext_proc policy calls the
/// picker's Service on its ext_proc port with bodies streamed both ways, and the pool names the same picker.
/// </summary>
internal static class EnvoyGatewayWiring
{
    public const string InferenceGroup = "inference.networking.k8s.io";
    public const string FullDuplexStreamed = "FullDuplexStreamed";

    public static IReadOnlyList<string> Check(ManifestSet gateway, ManifestSet baseRendering, ManifestSet poolRendering)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        ArgumentNullException.ThrowIfNull(poolRendering);
        var problems = new List<string>();
        var policies = gateway.OfKind("EnvoyExtensionPolicy").ToList();
        if (policies.Count == 0)
        {
            problems.Add($"{gateway.Source}: no EnvoyExtensionPolicy calls the picker");
        }

        foreach (var policy in policies)
        {
            CheckPolicy(gateway, baseRendering, policy, problems);
        }

        var pools = poolRendering.Items.Where(item => item.Kind == "InferencePool" && item.ApiVersion == $"{InferenceGroup}/v1").ToList();
        foreach (var route in gateway.OfKind("HTTPRoute"))
        {
            foreach (var backend in route.Json.At("spec", "rules").Objects().SelectMany(rule => rule.At("backendRefs").Objects()))
            {
                var (group, kind, name) = (backend.At("group").Text(), backend.At("kind").Text(), backend.At("name").Text());
                var @namespace = backend.At("namespace").Text() ?? route.Namespace;
                if (group != InferenceGroup || kind != "InferencePool" || !pools.Any(pool => pool.Name == name && pool.Namespace == @namespace))
                {
                    problems.Add($"{gateway.Source}: {route.Title}: backendRef {(string.IsNullOrEmpty(group) ? "" : group + "/")}{kind} {name} in namespace {@namespace} is not an InferencePool "
                        + $"of {poolRendering.Source} ({string.Join(", ", pools.Select(pool => $"{InferenceGroup}/InferencePool {pool.Name} in {pool.Namespace}"))})");
                }
            }
        }

        foreach (var pool in pools)
        {
            var picker = pool.Json.At("spec", "endpointPickerRef");
            if (PickerReference.Problem(
                    baseRendering,
                    picker.At("group").Text() ?? "",
                    picker.At("kind").Text() ?? "Service",
                    picker.At("name").Text(),
                    pool.Namespace,
                    picker.At("port", "number").Int()) is { } problem)
            {
                problems.Add($"{poolRendering.Source}: {pool.Title}: endpointPickerRef: {problem}");
            }
        }

        return problems;
    }

    private static void CheckPolicy(ManifestSet gateway, ManifestSet baseRendering, Manifest policy, List<string> problems)
    {
        var where = $"{gateway.Source}: {policy.Title}";
        foreach (var target in policy.Json.At("spec", "targetRefs").Objects())
        {
            if (gateway.Find(target.At("kind").Text() ?? "", target.At("name").Text() ?? "") is null)
            {
                problems.Add($"{where}: targetRef {target.At("kind").Text()} {target.At("name").Text()} is not in the rendering");
            }
        }

        var processors = policy.Json.At("spec", "extProc").Objects().ToList();
        if (processors.Count == 0)
        {
            problems.Add($"{where}: no extProc entry");
        }

        foreach (var processor in processors)
        {
            foreach (var backend in processor.At("backendRefs").Objects())
            {
                if (PickerReference.Problem(
                        baseRendering,
                        backend.At("group").Text() ?? "",
                        backend.At("kind").Text() ?? "Service",
                        backend.At("name").Text(),
                        backend.At("namespace").Text() ?? policy.Namespace,
                        backend.At("port").Int()) is { } problem)
                {
                    problems.Add($"{where}: extProc backendRef: {problem}");
                }
            }

            foreach (var direction in new[] { "request", "response" })
            {
                var mode = processor.At("processingMode", direction, "body").Text();
                if (mode != FullDuplexStreamed)
                {
                    problems.Add($"{where}: processingMode.{direction}.body is {mode ?? "unset"}, not {FullDuplexStreamed}");
                }
            }
        }
    }
}
