using System.Text.Json.Nodes;
using Suite.Deploy.Tests.Apps;
using Suite.Deploy.Tests.Support;

namespace Suite.Deploy.Tests.Checks;

public sealed class DaprComponentTests
{
    [Fact]
    public void MessagingUse_ReadFromTheServicesCode_EveryAppPublishesAndAllButTheQueueStore()
    {
        var uses = SuiteApps.All.SelectMany(app => MessagingUse.Of(app, new Dictionary<string, string?>()));

        Assert.Equal(
            [
                new ComponentUse("picker", "pubsub"), new ComponentUse("picker", "statestore"),
                new ComponentUse("metrics-collector", "pubsub"), new ComponentUse("metrics-collector", "statestore"),
                new ComponentUse("catalog", "pubsub"), new ComponentUse("catalog", "statestore"),
                new ComponentUse("queue", "pubsub"),
            ],
            uses);
        Assert.Equal(["pod-state", "catalog", "pool-pressure", "routing-decisions"], MessagingUse.Topics);
    }

    [Fact]
    public async Task Components_ClusterAndLocal_ServeEveryAppAndTopic()
    {
        Expect.NoProblems(Check(Cluster(), Local(), await RepositoryInputs.ComponentUsesAsync()));
    }

    [Fact]
    public async Task Check_ScopeNotAnAppId_ReportedAndTheAppLeftOut()
    {
        var cluster = Cluster().With("Component", "pubsub", pubsub => pubsub["scopes"]![1] = "pickr");

        Assert.Equal(
            [
                "components/pubsub.yaml: Component pubsub: scope pickr is not an app-id (picker, metrics-collector, catalog, queue)",
                "components/pubsub.yaml: Component pubsub: scopes leave out picker, which uses it",
            ],
            Check(cluster, Local(), await RepositoryInputs.ComponentUsesAsync()));
    }

    [Fact]
    public async Task Check_StoreScopedAwayFromAUser_Reported()
    {
        var cluster = Cluster().With("Component", "statestore", store => store["scopes"]!.AsArray().RemoveAt(1));

        Assert.Equal(
            ["components/statestore.yaml: Component statestore: scopes leave out picker, which uses it"],
            Check(cluster, Local(), await RepositoryInputs.ComponentUsesAsync()));
    }

    [Fact]
    public async Task Check_ResiliencyTargetsAnUndefinedComponent_Reported()
    {
        var cluster = Cluster().With("Resiliency", "inference-suite", resiliency =>
        {
            var components = resiliency["spec"]!["targets"]!["components"]!.AsObject();
            var policy = components["statestore"]!.DeepClone();
            components.Remove("statestore");
            components["state-store"] = policy;
        });

        Assert.Equal(
            ["components/resiliency.yaml: Resiliency inference-suite: targets.components names state-store, which components does not define"],
            Check(cluster, Local(), await RepositoryInputs.ComponentUsesAsync()));
    }

    [Fact]
    public async Task Check_LocalFolderWithoutTheStateStore_Reported()
    {
        var local = Local();
        local = local with { Resources = local.Resources with { Items = [.. local.Resources.Items.Where(item => item.Name != "statestore")] } };

        Assert.Equal(
            [
                "components/local: picker uses Dapr component statestore, which components/local does not define",
                "components/local: metrics-collector uses Dapr component statestore, which components/local does not define",
                "components/local: catalog uses Dapr component statestore, which components/local does not define",
                "components/local has no component statestore, which components defines",
            ],
            Check(Cluster(), local, await RepositoryInputs.ComponentUsesAsync()));
    }

    [Fact]
    public async Task Check_AllowedTopicsLeaveOutTopics_Reported()
    {
        var cluster = Cluster().With("Component", "pubsub", pubsub =>
            pubsub["spec"]!["metadata"]!.AsArray().Add(new JsonObject { ["name"] = "allowedTopics", ["value"] = "pod-state,catalog" }));

        Assert.Equal(
            [
                "components/pubsub.yaml: Component pubsub: allowedTopics leaves out topic pool-pressure",
                "components/pubsub.yaml: Component pubsub: allowedTopics leaves out topic routing-decisions",
            ],
            Check(cluster, Local(), await RepositoryInputs.ComponentUsesAsync()));
    }

    private static IReadOnlyList<string> Check(DaprFolder cluster, DaprFolder local, IReadOnlyList<ComponentUse> uses) =>
        DaprComponents.Check(cluster, local, uses, MessagingUse.Topics);

    private static DaprFolder Cluster() => DaprFolder.Read(DaprFolder.Cluster);

    private static DaprFolder Local() => DaprFolder.Read(DaprFolder.Local);
}
