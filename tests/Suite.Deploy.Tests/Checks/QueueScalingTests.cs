using System.Text.Json.Nodes;
using Suite.Deploy.Tests.Rendering;
using Suite.Deploy.Tests.Schemas;
using Suite.Deploy.Tests.Support;

namespace Suite.Deploy.Tests.Checks;

public sealed class QueueScalingTests
{
    private const string KedaExample = "deploy/examples/keda-scaledobject.yaml";

    public static TheoryData<string> ServiceRenderings => Data.Of(Kustomizations.ServiceRenderings);

    [Fact]
    public async Task AutoscalingScaledObjects_AskTheQueueAboutRealPoolsAndScaleRealDeployments()
    {
        Expect.NoProblems(await CheckAsync(await AutoscalingAsync()));
    }

    [Fact]
    public async Task ExampleScaledObjects_AskTheQueueAboutRealPoolsAndScaleRealDeployments()
    {
        Expect.NoProblems(await CheckAsync(YamlManifests.ReadFile(KedaExample)));
    }

    [Theory]
    [MemberData(nameof(ServiceRenderings))]
    public async Task PickerQueueAddresses_ReachTheQueuesGrpcPort(string directory)
    {
        Expect.NoProblems(QueueScaling.CheckPickerQueueAddresses(await Renderings.OfAsync(directory)));
    }

    [Fact]
    public async Task Check_ScalerOnAnotherPortAndAMisspeltPool_Reported()
    {
        var scaledObjects = (await AutoscalingAsync()).With("ScaledObject", "sim-llama", scaledObject =>
        {
            var metadata = Trigger(scaledObject, 0)["metadata"]!;
            metadata["scalerAddress"] = "queue.inference-suite:9005";
            metadata["pool"] = "llm-pol";
        });

        Assert.Equal(
            [
                "deploy/autoscaling: ScaledObject sim-llama: trigger 0: scalerAddress queue.inference-suite:9005: port 9005 is not the queue's gRPC port 9004 (QueueOptions.GrpcPort)",
                "deploy/autoscaling: ScaledObject sim-llama: trigger 0: pool llm-pol is not an InferencePool defined under deploy/ (chat-pool, legacy-pool, llm-pool, lora-pool)",
            ],
            await CheckAsync(scaledObjects));
    }

    [Fact]
    public async Task Check_ScalerAddressNamingAnotherService_Reported()
    {
        var scaledObjects = (await AutoscalingAsync()).With("ScaledObject", "vllm-llama", scaledObject =>
            Trigger(scaledObject, 1)["metadata"]!["scalerAddress"] = "picker.inference-suite:9004");

        Assert.Equal(
            [
                "deploy/autoscaling: ScaledObject vllm-llama: trigger 1: scalerAddress picker.inference-suite:9004: picker.inference-suite is not a Service "
                    + "that selects the queue in deploy/base (queue in inference-suite, queue-headless in inference-suite)",
            ],
            await CheckAsync(scaledObjects));
    }

    [Fact]
    public async Task Check_MisspeltScaleTarget_Reported()
    {
        var scaledObjects = (await AutoscalingAsync()).With("ScaledObject", "sim-llama", scaledObject =>
            scaledObject["spec"]!["scaleTargetRef"]!["name"] = "sim-lama");

        Assert.Equal(
            [
                "deploy/autoscaling: ScaledObject sim-llama: scaleTargetRef Deployment sim-lama is not a Deployment in namespace inference-suite of "
                    + "deploy/model-servers and deploy/examples (there: sim-llama in inference-suite, vllm-llama in inference-suite)",
            ],
            await CheckAsync(scaledObjects));
    }

    [Fact]
    public async Task Check_MetadataTheQueueRejectsAndAnUnquotedNumber_Reported()
    {
        var scaledObjects = (await AutoscalingAsync()).With("ScaledObject", "sim-llama", scaledObject =>
        {
            var metadata = Trigger(scaledObject, 0)["metadata"]!;
            metadata["metric"] = "queue-depth";
            metadata["targetQueueDepth"] = 5;
        });

        Assert.Equal(
            [
                "deploy/autoscaling: ScaledObject sim-llama: trigger 0: metadata targetQueueDepth is 5, not a string (KEDA's metadata values are strings)",
                "deploy/autoscaling: ScaledObject sim-llama: trigger 0: the queue's scaler rejects the metadata: scalerMetadata.metric must be queueDepth or saturation, not \"queue-depth\".",
            ],
            await CheckAsync(scaledObjects));
    }

    [Fact]
    public async Task CheckPickerQueueAddresses_AddressOnTheQueuesHttpPort_Reported()
    {
        var rendered = (await Renderings.OfAsync(Kustomizations.Base)).With("Deployment", "picker", picker =>
        {
            var environment = picker["spec"]!["template"]!["spec"]!["containers"]![0]!["env"]!.AsArray();
            environment.OfType<JsonObject>().Single(variable => variable["name"]!.GetValue<string>() == "Picker__Queue__Addresses__0")["value"] = "http://queue-0.queue-headless:9090";
        });

        Assert.Equal(
            ["deploy/base: Deployment picker: Picker__Queue__Addresses__0 http://queue-0.queue-headless:9090: port 9090 is not the queue's gRPC port 9004 (QueueOptions.GrpcPort)"],
            QueueScaling.CheckPickerQueueAddresses(rendered));
    }

    [Fact]
    public async Task CheckPickerQueueAddresses_ShardBeyondTheStatefulSet_Reported()
    {
        var rendered = (await Renderings.OfAsync(Kustomizations.Base)).With("Deployment", "picker", picker =>
            picker["spec"]!["template"]!["spec"]!["containers"]![0]!["env"]!.AsArray()
                .Add(new JsonObject { ["name"] = "Picker__Queue__Addresses__1", ["value"] = "http://queue-1.queue-headless:9004" }));

        Assert.Equal(
            [
                "deploy/base: Deployment picker: Picker__Queue__Addresses__1 http://queue-1.queue-headless:9004: queue-1.queue-headless is not a Service "
                    + "that selects the queue in deploy/base (queue in inference-suite, queue-headless in inference-suite)",
            ],
            QueueScaling.CheckPickerQueueAddresses(rendered));
    }

    private static async Task<IReadOnlyList<string>> CheckAsync(ManifestSet scaledObjects) =>
        QueueScaling.CheckScaledObjects(
            scaledObjects.OfKind("ScaledObject"),
            await Renderings.OfAsync(Kustomizations.Base),
            await RepositoryInputs.PoolsAsync(),
            await RepositoryInputs.ScaleTargetsAsync());

    private static Task<ManifestSet> AutoscalingAsync() => Renderings.OfAsync(Kustomizations.Autoscaling);

    private static JsonNode Trigger(JsonObject scaledObject, int index) => scaledObject["spec"]!["triggers"]![index]!;
}
