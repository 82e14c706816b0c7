using System.Collections.Immutable;

namespace Suite.Kubernetes.Resources;

/// <summary>Turns either InferencePool version into an <see cref="InferencePoolView"/>.</summary>
public static class InferencePoolNormalization
{
    /// <summary>Namespace of an object whose manifest names none, as <c>kubectl apply</c> would place it.</summary>
    public const string DefaultNamespace = "default";

    public static InferencePoolView ToView(this V1InferencePool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var spec = pool.Spec;
        var ports = spec?.TargetPorts is { } targetPorts
            ? targetPorts.Select(port => port?.Number ?? 0).ToImmutableArray()
            : [];
        return new InferencePoolView(
            V1InferencePool.GroupVersion,
            pool.Metadata?.NamespaceProperty ?? DefaultNamespace,
            pool.Metadata?.Name ?? "",
            ToSelector(spec?.Selector?.MatchLabels),
            ports,
            IsFailOpen(spec?.EndpointPickerRef?.FailureMode));
    }

    public static InferencePoolView ToView(this V1Alpha2InferencePool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var spec = pool.Spec;
        return new InferencePoolView(
            V1Alpha2InferencePool.GroupVersion,
            pool.Metadata?.NamespaceProperty ?? DefaultNamespace,
            pool.Metadata?.Name ?? "",
            ToSelector(spec?.Selector),
            spec?.TargetPortNumber is int port ? [port] : [],
            IsFailOpen(spec?.ExtensionRef?.FailureMode));
    }

    // Anything but an explicit FailOpen fails closed: the safe reading of a typo.
    private static bool IsFailOpen(string? failureMode) =>
        string.Equals(failureMode, InferencePoolFailureMode.FailOpen, StringComparison.Ordinal);

    private static ImmutableDictionary<string, string> ToSelector(IDictionary<string, string>? labels) =>
        labels is null
            ? ImmutableDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal)
            : labels.ToImmutableDictionary(StringComparer.Ordinal);
}
