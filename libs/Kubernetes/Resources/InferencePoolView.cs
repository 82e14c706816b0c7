using System.Collections.Immutable;

namespace Suite.Kubernetes.Resources;

/// <summary>An InferencePool of either API version in one shape: what discovery and scheduling need of it.</summary>
/// <param name="ApiVersion">The version it was read from, e.g. <c>inference.networking.k8s.io/v1</c>; names fields in messages.</param>
/// <param name="Selector">Labels a pod must all carry; empty matches no pod.</param>
/// <param name="TargetPorts">Ports as declared, duplicates and all, so validation can report them.</param>
/// <param name="FailOpen">The failure mode is FailOpen; FailClose (the default) otherwise.</param>
public sealed record InferencePoolView(
    string ApiVersion,
    string Namespace,
    string Name,
    ImmutableDictionary<string, string> Selector,
    ImmutableArray<int> TargetPorts,
    bool FailOpen)
{
    /// <summary>The legacy <c>v1alpha2</c> shape (<c>spec.selector</c> map, <c>spec.targetPortNumber</c>).</summary>
    public bool IsLegacy => ApiVersion == V1Alpha2InferencePool.GroupVersion;
}
