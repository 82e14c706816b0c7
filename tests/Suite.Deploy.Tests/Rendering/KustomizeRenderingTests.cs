using Suite.Deploy.Tests.Support;

namespace Suite.Deploy.Tests.Rendering;

public sealed class KustomizeRenderingTests
{
    public static TheoryData<string> Directories => Data.Of(Kustomizations.All);

    [Fact]
    public void Discovery_FindsEveryKustomizationTheSuiteShips()
    {
        HashSet<string> shipped =
        [
            Kustomizations.Base, Kustomizations.Dev, Kustomizations.Production, Kustomizations.EnvoyGateway, Kustomizations.Envoy,
            Kustomizations.Pool, Kustomizations.ModelSim, Kustomizations.Vllm, Kustomizations.Autoscaling, Kustomizations.Components,
        ];

        Assert.Superset(shipped, Kustomizations.All.ToHashSet(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Directories))]
    public async Task Kustomization_Rendered_ExitsZeroWithAtLeastOneDocument(string directory)
    {
        var output = await Renderings.OutputAsync(directory);

        Assert.True(output.ExitCode == 0, $"kubectl kustomize {directory} exited with {output.ExitCode}: {output.Errors}");
        Assert.NotEmpty(YamlManifests.Parse(output.Yaml, directory).Items);
    }
}
