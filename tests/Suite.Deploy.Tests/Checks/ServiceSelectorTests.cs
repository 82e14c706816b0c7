using Suite.Deploy.Tests.Rendering;
using Suite.Deploy.Tests.Support;

namespace Suite.Deploy.Tests.Checks;

public sealed class ServiceSelectorTests
{
    public static TheoryData<string> Directories => Data.Of(Kustomizations.All);

    [Theory]
    [MemberData(nameof(Directories))]
    public async Task Services_SelectPodsOfTheRenderingOnPortsTheyDeclare(string directory)
    {
        Expect.NoProblems(ServiceSelectors.Check(await Renderings.OfAsync(directory)));
    }

    [Fact]
    public async Task Check_SelectorMatchingNoPod_Reported()
    {
        var rendered = (await Renderings.OfAsync(Kustomizations.Base)).With("Service", "picker", service =>
            service["spec"]!["selector"]!["app.kubernetes.io/name"] = "pickr");

        Assert.Equal(
            ["deploy/base: Service picker: selector app.kubernetes.io/name=pickr matches no pod template in the rendering"],
            ServiceSelectors.Check(rendered));
    }

    [Fact]
    public async Task Check_TargetPortNoContainerDeclares_Reported()
    {
        var rendered = (await Renderings.OfAsync(Kustomizations.Base)).With("Service", "queue", service =>
            service["spec"]!["ports"]![0]!["targetPort"] = "grcp");

        Assert.Equal(
            ["deploy/base: Service queue: port grpc targets grcp, which no container of StatefulSet queue declares"],
            ServiceSelectors.Check(rendered));
    }

    [Fact]
    public async Task Check_NumericTargetPortNoContainerDeclares_Reported()
    {
        var rendered = (await Renderings.OfAsync(Kustomizations.Vllm)).With("Service", "vllm-llama", service =>
            service["spec"]!["ports"]![0]!["targetPort"] = 8080);

        Assert.Equal(
            ["deploy/model-servers/vllm: Service vllm-llama: port http targets 8080, which no container of Deployment vllm-llama declares"],
            ServiceSelectors.Check(rendered));
    }
}
