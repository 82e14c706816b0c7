using System.Text.Json.Nodes;
using Suite.Deploy.Tests.Rendering;
using Suite.Deploy.Tests.Support;

namespace Suite.Deploy.Tests.Checks;

public sealed class DaprAnnotationTests
{
    public static TheoryData<string> ServiceRenderings => Data.Of(Kustomizations.ServiceRenderings);

    [Theory]
    [MemberData(nameof(ServiceRenderings))]
    public async Task Sidecars_EachAppOnceOnItsHttpPortWithTheSuiteConfiguration(string directory)
    {
        Expect.NoProblems(DaprAnnotations.Check(await Renderings.OfAsync(directory), RepositoryInputs.ConfigurationName()));
    }

    [Fact]
    public async Task Check_AppPortOffTheHttpPort_Reported()
    {
        var rendered = (await BaseAsync()).With("Deployment", "picker", pod => Annotations(pod)[DaprAnnotations.AppPort] = "9091");

        Assert.Equal(
            [
                "deploy/base: Deployment picker: dapr.io/app-port \"9091\" is not the port the app serves HTTP on, Picker__HttpPort = 9090",
                "deploy/base: Deployment picker: dapr.io/app-port \"9091\" is not a containerPort of container picker",
            ],
            DaprAnnotations.Check(rendered, RepositoryInputs.ConfigurationName()));
    }

    [Fact]
    public async Task Check_UnknownAppId_ReportedWithTheAppLeftWithoutAWorkload()
    {
        var rendered = (await BaseAsync()).With("Deployment", "catalog", pod => Annotations(pod)[DaprAnnotations.AppId] = "catalogue");

        Assert.Equal(
            [
                "deploy/base: Deployment catalog: dapr.io/app-id \"catalogue\" is not one of picker, metrics-collector, catalog, queue",
                "deploy/base: no Deployment or StatefulSet runs dapr.io/app-id catalog",
            ],
            DaprAnnotations.Check(rendered, RepositoryInputs.ConfigurationName()));
    }

    [Fact]
    public async Task Check_GrpcProtocolAndAnotherConfiguration_Reported()
    {
        var rendered = (await BaseAsync()).With("StatefulSet", "queue", pod =>
        {
            Annotations(pod)[DaprAnnotations.AppProtocol] = "grpc";
            Annotations(pod)[DaprAnnotations.Config] = "tracing";
        });

        Assert.Equal(
            [
                "deploy/base: StatefulSet queue: dapr.io/app-protocol \"grpc\" is not http (the apps serve the sidecar HTTP/1.1)",
                "deploy/base: StatefulSet queue: dapr.io/config \"tracing\" is not the Dapr Configuration inference-suite (components/configuration.yaml)",
            ],
            DaprAnnotations.Check(rendered, RepositoryInputs.ConfigurationName()));
    }

    [Fact]
    public async Task Check_HttpPortMovedByEnvironment_AnnotationMustFollow()
    {
        var rendered = (await BaseAsync()).With("Deployment", "metrics-collector", pod =>
            pod["spec"]!["template"]!["spec"]!["containers"]![0]!["env"]!.AsArray().Add(new JsonObject { ["name"] = "Collector__HttpPort", ["value"] = "9095" }));

        Assert.Equal(
            ["deploy/base: Deployment metrics-collector: dapr.io/app-port \"9090\" is not the port the app serves HTTP on, Collector__HttpPort = 9095"],
            DaprAnnotations.Check(rendered, RepositoryInputs.ConfigurationName()));
    }

    private static Task<ManifestSet> BaseAsync() => Renderings.OfAsync(Kustomizations.Base);

    private static JsonObject Annotations(JsonObject workload) => workload["spec"]!["template"]!["metadata"]!["annotations"]!.AsObject();
}
