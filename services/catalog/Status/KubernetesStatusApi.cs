using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Suite.Catalog.Status;

/// <summary>Status patches through KubernetesClient's CustomObjects API, as <c>application/merge-patch+json</c>.</summary>
internal sealed class KubernetesStatusApi(IKubernetes client) : IStatusApi
{
    public Task PatchStatusAsync(StatusTarget target, JsonObject patch, CancellationToken cancellationToken) =>
        client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
            new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch),
            target.Group, target.Version, target.Namespace, target.Plural, target.Name, cancellationToken: cancellationToken);
}
