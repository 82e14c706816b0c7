using System.Text.Json.Nodes;
using Suite.Deploy.Tests.Apps;
using Suite.Deploy.Tests.Rendering;
using Suite.Deploy.Tests.Schemas;
using Suite.Deploy.Tests.Support;

namespace Suite.Deploy.Tests.Checks;

/// <summary>The committed files each check reads, gathered in one place so the tests read as the checks they run.</summary>
internal static class RepositoryInputs
{
    public const string Configuration = "components/configuration.yaml";

    public static string ConfigurationName() => YamlManifests.ReadFile(Configuration).OfKind("Configuration").Single().Name;

    public static JsonObject RunFile() => YamlManifests.Documents(Repository.ReadText(DaprRunFile.FileName))[0];

    /// <summary>The app-ids deploy/base gives its sidecars.</summary>
    public static async Task<IReadOnlyList<string>> ClusterAppIdsAsync() =>
    [
        .. DaprAnnotations.SidecarWorkloads(await Renderings.OfAsync(Kustomizations.Base))
            .Select(workload => workload.Pod.Annotations.At(DaprAnnotations.AppId).Text() ?? ""),
    ];

    /// <summary>The components every app asks for, in the cluster (deploy/base's environment) and locally (dapr.yaml's).</summary>
    public static async Task<IReadOnlyList<ComponentUse>> ComponentUsesAsync()
    {
        var uses = new List<ComponentUse>();
        foreach (var (pod, app) in DaprAnnotations.SidecarWorkloads(await Renderings.OfAsync(Kustomizations.Base)))
        {
            if (app is not null && DaprAnnotations.AppContainer(pod, app.AppId) is { } container)
            {
                uses.AddRange(MessagingUse.Of(app, PodTemplate.Environment(container)));
            }
        }

        foreach (var app in DaprRunApp.In(RunFile()))
        {
            if (SuiteApps.ById(app.AppId) is { } suiteApp)
            {
                uses.AddRange(MessagingUse.Of(suiteApp, app.Environment));
            }
        }

        var order = SuiteApps.AppIds.ToList();
        return [.. uses.Distinct().OrderBy(use => order.IndexOf(use.AppId)).ThenBy(use => use.Component, StringComparer.Ordinal)];
    }

    /// <summary>Every InferencePool defined under deploy/: in its kustomizations and in the examples.</summary>
    public static async Task<IReadOnlyList<Manifest>> PoolsAsync()
    {
        var rendered = await Renderings.OfAllAsync(Kustomizations.Under("deploy"), "deploy");
        return [.. rendered.Items.Concat(CustomResources.ReadFiles(CustomResources.Examples).SelectMany(set => set.Items)).Where(item => item.Kind == "InferencePool")];
    }

    /// <summary>What a ScaledObject may scale: the model servers of deploy/model-servers and the examples' workloads.</summary>
    public static async Task<ManifestSet> ScaleTargetsAsync()
    {
        var rendered = await Renderings.OfAllAsync(Kustomizations.Under("deploy/model-servers"), "deploy/model-servers");
        return new ManifestSet(
            "deploy/model-servers and deploy/examples",
            [.. rendered.Items, .. CustomResources.ReadFiles(CustomResources.Examples).SelectMany(set => set.Items)]);
    }
}
