using System.Collections.Immutable;

namespace Suite.Kubernetes.Resources;

/// <summary>
/// The InferencePool CRD's own rules, checked again because a static file never met the API server.
/// Problems come back as messages for the caller to log; an invalid pool is skipped, never fatal.
/// </summary>
public static class InferencePoolValidation
{
    public const int MaxSelectorLabels = 64;
    public const int MaxTargetPorts = 8;

    /// <summary>Every rule the pool breaks, each naming the pool and the field; empty when it is valid.</summary>
    public static ImmutableArray<string> Validate(this InferencePoolView pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var problems = ImmutableArray.CreateBuilder<string>();
        var subject = $"InferencePool {pool.Namespace}/{pool.Name} ({pool.ApiVersion})";
        var selectorField = pool.IsLegacy ? "spec.selector" : "spec.selector.matchLabels";
        var portsField = pool.IsLegacy ? "spec.targetPortNumber" : "spec.targetPorts";

        if (pool.Name.Length == 0)
        {
            problems.Add($"{subject}: metadata.name is required");
        }

        if (pool.Selector.IsEmpty)
        {
            problems.Add($"{subject}: {selectorField} is empty, so the pool would match no pod");
        }
        else if (pool.Selector.Count > MaxSelectorLabels)
        {
            problems.Add($"{subject}: {selectorField} has {pool.Selector.Count} labels; at most {MaxSelectorLabels} are allowed");
        }

        if (pool.TargetPorts.IsEmpty)
        {
            problems.Add($"{subject}: {portsField} is required");
        }
        else if (pool.TargetPorts.Length > MaxTargetPorts)
        {
            problems.Add($"{subject}: {portsField} has {pool.TargetPorts.Length} ports; at most {MaxTargetPorts} are allowed");
        }

        var seen = new HashSet<int>();
        for (var i = 0; i < pool.TargetPorts.Length; i++)
        {
            var port = pool.TargetPorts[i];
            var field = pool.IsLegacy ? portsField : $"{portsField}[{i}].number";
            if (port is < 1 or > 65535)
            {
                problems.Add($"{subject}: {field} is {port}; a port must be between 1 and 65535");
            }
            else if (!seen.Add(port))
            {
                problems.Add($"{subject}: {field} repeats port {port}; target ports must be unique");
            }
        }

        return problems.ToImmutable();
    }
}
