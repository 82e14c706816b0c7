using System.Text.Json.Nodes;
using Suite.Deploy.Tests.Apps;
using Suite.Deploy.Tests.Rendering;
using Suite.Deploy.Tests.Support;

namespace Suite.Deploy.Tests.Checks;

public sealed class OptionKeyTests
{
    public static TheoryData<string> ServiceRenderings => Data.Of(Kustomizations.ServiceRenderings);

    [Theory]
    [MemberData(nameof(ServiceRenderings))]
    public async Task Workloads_EveryConfigurationVariableNamesASetting(string directory)
    {
        Expect.NoProblems(OptionKeys.CheckWorkloads(await Renderings.OfAsync(directory)));
    }

    [Fact]
    public void RunFile_EveryConfigurationVariableNamesASetting()
    {
        Expect.NoProblems(OptionKeys.CheckRunFile(DaprRunApp.In(RepositoryInputs.RunFile())));
    }

    [Theory]
    [InlineData("picker", "Picker__Prefix__ShareDecisions", "false")]
    [InlineData("picker", "picker__queue__addresses__1", "http://queue-1.queue-headless:9004")]
    [InlineData("picker", "Picker__Saturation__StaleAfter", "00:00:02")]
    [InlineData("metrics-collector", "Collector__Engines__sglang__Waiting", "sglang:num_queue_reqs")]
    [InlineData("catalog", "Catalog__LeaderElection__LeaseDuration", "00:00:30")]
    [InlineData("queue", "Queue__Bands__-1__MaxRequests", "100")]
    [InlineData("queue", "Queue__PressureInterval", "00:00:02")]
    [InlineData("queue", "Queue__ShardIndex", "2")]
    [InlineData("queue", "Messaging__Mode", "InMemory")]
    public void Problem_KeyOfABoundSetting_None(string appId, string name, string value)
    {
        Assert.Null(OptionKeys.Problem(SuiteApps.ById(appId)!, name, value));
    }

    [Theory]
    [InlineData("picker", "Picker__Queue__Adresses__0", "http://queue:9004", "AdmissionQueueOptions has no settable property Adresses")]
    [InlineData("picker", "Picker__Queue", "http://queue:9004", "names AdmissionQueueOptions, a section, not a setting")]
    [InlineData("picker", "Picker__Queue__Addresses__first", "http://queue:9004", "first is not an index of String[]")]
    [InlineData("picker", "Picker__GrpcPort__Value", "9002", "Int32 is a setting, not a section: nothing binds Value under it")]
    [InlineData("picker", "Picker__GrpcPort", "ext-proc", "\"ext-proc\" is not a valid Int32")]
    [InlineData("metrics-collector", "Collector__Discovery", "Kubernets", "\"Kubernets\" is not a valid DiscoveryMode")]
    [InlineData("queue", "Queue__Bands__sheddable__MaxRequests", "10", "sheddable is not a key of Dictionary<Int32, BandLimits>; PoolPressureOptions has no settable property Bands")]
    [InlineData("queue", "Queue__Shards", "2", "QueueOptions has no settable property Shards; PoolPressureOptions has no settable property Shards")]
    [InlineData("catalog", "Logging__LogLevel__Default", "Debug", "catalog binds no section Logging (it reads Catalog, Messaging)")]
    public void Problem_KeyThatReachesNoSetting_Explained(string appId, string name, string value, string expected)
    {
        Assert.Equal(expected, OptionKeys.Problem(SuiteApps.ById(appId)!, name, value));
    }

    [Fact]
    public async Task CheckWorkloads_MisspeltVariable_ReportedWithItsWorkload()
    {
        var rendered = (await Renderings.OfAsync(Kustomizations.Base)).With("StatefulSet", "queue", queue =>
            queue["spec"]!["template"]!["spec"]!["containers"]![0]!["env"]!.AsArray().Add(new JsonObject { ["name"] = "Queue__ShardCont", ["value"] = "2" }));

        Assert.Equal(
            ["deploy/base: StatefulSet queue: Queue__ShardCont: QueueOptions has no settable property ShardCont; PoolPressureOptions has no settable property ShardCont"],
            OptionKeys.CheckWorkloads(rendered));
    }

    [Fact]
    public void CheckRunFile_MisspeltVariable_ReportedWithItsApp()
    {
        var runFile = RepositoryInputs.RunFile();
        runFile["apps"]![0]!["env"]!["Picker__PoolNme"] = "llm-pool";

        Assert.Equal(
            ["dapr.yaml app picker: Picker__PoolNme: PickerOptions has no settable property PoolNme"],
            OptionKeys.CheckRunFile(DaprRunApp.In(runFile)));
    }
}
