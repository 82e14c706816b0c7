using Suite.Deploy.Tests.Rendering;
using Suite.Deploy.Tests.Support;

namespace Suite.Deploy.Tests.Schemas;

/// <summary>Every InferencePool, InferenceModel, InferenceObjective and InferenceModelRewrite the repository ships, against deploy/crds.</summary>
public sealed class CustomResourceSchemaTests
{
    [Fact]
    public void CommittedCrds_ServeEveryCustomKindTheSuiteReads()
    {
        Assert.Equal(
            [
                ("inference.networking.k8s.io/v1", "InferencePool"),
                ("inference.networking.x-k8s.io/v1alpha2", "InferenceModel"),
                ("inference.networking.x-k8s.io/v1alpha2", "InferenceModelRewrite"),
                ("inference.networking.x-k8s.io/v1alpha2", "InferenceObjective"),
                ("inference.networking.x-k8s.io/v1alpha2", "InferencePool"),
            ],
            CrdSchemas.Committed.Kinds);
    }

    [Fact]
    public async Task EveryCustomResource_MatchesItsCrdSchema()
    {
        var schemas = CrdSchemas.Committed;
        var problems = new List<string>();

        foreach (var set in await CustomResources.AllSourcesAsync())
        {
            foreach (var manifest in set.Items.Where(item => CustomResources.IsCustom(schemas, item)))
            {
                problems.AddRange(schemas.Knows(manifest)
                    ? SchemaValidation.Validate(schemas, manifest)
                    : [$"{manifest.Source}: {manifest.Title}: no CRD in {CrdSchemas.Folder} serves {manifest.ApiVersion}"]);
            }
        }

        Expect.NoProblems(problems);
    }

    // The validation above passes vacuously if the sources hold no custom resources: count what it saw.
    [Fact]
    public async Task CustomResources_FoundInRenderingsExamplesAndLocalManifests()
    {
        var schemas = CrdSchemas.Committed;
        var sets = await CustomResources.AllSourcesAsync();

        int Count(Func<string, bool> source) =>
            sets.Where(set => source(set.Source)).Sum(set => set.Items.Count(item => schemas.Knows(item)));

        var rendered = Count(source => Kustomizations.All.Contains(source));
        var examples = Count(source => source.StartsWith(CustomResources.Examples + "/", StringComparison.Ordinal));
        var local = Count(source => source.StartsWith(CustomResources.LocalManifests + "/", StringComparison.Ordinal));
        Assert.True(rendered >= 3, $"the kustomizations render {rendered} custom resources, expected at least 3 (llm-pool in pool, model-sim and vllm)");
        Assert.True(examples >= 12, $"deploy/examples holds {examples} custom resources, expected at least 12 (7 in demo-cluster.yaml, 5 in static-pools.yaml)");
        Assert.True(local >= 2, $"components/local/manifests holds {local} custom resources, expected at least 2 (llm-pool, chat)");
    }

    [Fact]
    public void ExampleFiles_IncludeYamlFilesInSubfolders()
    {
        HashSet<string> known =
        [
            "deploy/examples/demo-cluster.yaml",
            "deploy/examples/keda-scaledobject.yaml",
            "deploy/examples/profiles/reference-default.yaml",
            "deploy/examples/static-pools.yaml",
        ];

        Assert.Superset(known, CustomResources.Files(CustomResources.Examples).ToHashSet(StringComparer.Ordinal));
    }
}
