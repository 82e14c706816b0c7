using System.Text.Json.Nodes;
using Suite.Kubernetes.Resources;
using Suite.Kubernetes.Tests.Fakes;

namespace Suite.Catalog.Tests.Kubernetes;

/// <summary>The catalog's kinds installed on the in-memory API server, and objects shaped as users apply them.</summary>
internal static class Cluster
{
    public static async Task<InMemoryKubernetesApi> StartAsync(bool withRewrites = true)
    {
        var server = await InMemoryKubernetesApi.StartAsync();
        server.InstallKind(V1InferencePool.KubeGroup, V1InferencePool.KubeApiVersion, V1InferencePool.KubePluralName, V1InferencePool.KubeKind);
        server.InstallKind(V1Alpha2InferencePool.KubeGroup, V1Alpha2InferencePool.KubeApiVersion, V1Alpha2InferencePool.KubePluralName, V1Alpha2InferencePool.KubeKind);
        InstallModels(server);
        server.InstallKind(InferenceObjective.KubeGroup, InferenceObjective.KubeApiVersion, InferenceObjective.KubePluralName, InferenceObjective.KubeKind);
        if (withRewrites)
        {
            server.InstallKind(InferenceModelRewrite.KubeGroup, InferenceModelRewrite.KubeApiVersion, InferenceModelRewrite.KubePluralName, InferenceModelRewrite.KubeKind);
        }

        server.Put(JsonNode.Parse("""
            {"apiVersion":"inference.networking.k8s.io/v1","kind":"InferencePool",
             "metadata":{"name":"chat-pool","namespace":"default"},
             "spec":{"selector":{"matchLabels":{"app":"chat"}},"targetPorts":[{"number":8000}],
                     "endpointPickerRef":{"kind":"Service","name":"chat-epp","port":{"number":9002}}}}
            """)!);
        return server;
    }

    public static void InstallModels(InMemoryKubernetesApi server) =>
        server.InstallKind(InferenceModel.KubeGroup, InferenceModel.KubeApiVersion, InferenceModel.KubePluralName, InferenceModel.KubeKind);

    public static void RemoveModels(InMemoryKubernetesApi server) =>
        server.RemoveKind(InferenceModel.KubeGroup, InferenceModel.KubeApiVersion, InferenceModel.KubePluralName);

    /// <param name="target">The one target model; <c>{modelName}-v1</c> when null.</param>
    public static void PutModel(
        InMemoryKubernetesApi server, string name, string modelName, string pool, string created, string? target = null, string criticality = "Standard") =>
        server.Put(JsonNode.Parse($$$"""
            {"apiVersion":"inference.networking.x-k8s.io/v1alpha2","kind":"InferenceModel",
             "metadata":{"name":"{{{name}}}","namespace":"default","creationTimestamp":"{{{created}}}"},
             "spec":{"modelName":"{{{modelName}}}","criticality":"{{{criticality}}}","poolRef":{"name":"{{{pool}}}"},
                     "targetModels":[{"name":"{{{target ?? modelName + "-v1"}}}"}]}}
            """)!);

    public static bool DeleteModel(InMemoryKubernetesApi server, string name) =>
        server.Delete(InferenceModel.KubeGroup, InferenceModel.KubeApiVersion, InferenceModel.KubePluralName, "default", name);

    public static void PutObjective(InMemoryKubernetesApi server, string name, string pool, int priority) => server.Put(JsonNode.Parse($$$"""
        {"apiVersion":"inference.networking.x-k8s.io/v1alpha2","kind":"InferenceObjective",
         "metadata":{"name":"{{{name}}}","namespace":"default"},
         "spec":{"priority":{{{priority}}},"poolRef":{"name":"{{{pool}}}"}} }
        """)!);

    /// <summary>The object's Accepted condition as the server holds it: (status, reason), or null.</summary>
    public static (string Status, string Reason)? Accepted(InMemoryKubernetesApi server, string name)
    {
        var model = server.Get<InferenceModel>(InferenceModel.KubeGroup, InferenceModel.KubeApiVersion, InferenceModel.KubePluralName, "default", name);
        return model?.Status?.Conditions?.FirstOrDefault(c => c.Type == "Accepted") is { } condition ? (condition.Status, condition.Reason) : null;
    }

    /// <summary>Status writes that the server accepted, as (token, object name).</summary>
    public static List<(string? Token, string Name)> StatusWrites(InMemoryKubernetesApi server) =>
        [.. server.Writes
            .Where(w => w.Method == "PATCH" && w.Path.EndsWith("/status", StringComparison.Ordinal) && w.StatusCode == 200)
            .Select(w => (w.Token, w.Path.Split('/')[^2]))];
}
