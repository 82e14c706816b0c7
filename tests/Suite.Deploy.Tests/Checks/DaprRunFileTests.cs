using System.Text.Json.Nodes;
using Suite.Deploy.Tests.Support;

namespace Suite.Deploy.Tests.Checks;

public sealed class DaprRunFileTests
{
    [Fact]
    public async Task RunFile_SameAppsAsTheClusterOnTheirHttpPortsWithoutSharedPorts()
    {
        Expect.NoProblems(DaprRunFile.Check(RepositoryInputs.RunFile(), await RepositoryInputs.ClusterAppIdsAsync()));
    }

    [Fact]
    public async Task Check_AppPortOffTheHttpPort_Reported()
    {
        var runFile = RepositoryInputs.RunFile();
        App(runFile, "picker")["appPort"] = 9091;

        Assert.Equal(
            ["dapr.yaml app picker: appPort 9091 is not the port the app serves HTTP on, Picker__HttpPort = 9090"],
            DaprRunFile.Check(runFile, await RepositoryInputs.ClusterAppIdsAsync()));
    }

    [Fact]
    public async Task Check_HttpPortMovedWithoutTheAppPort_Reported()
    {
        var runFile = RepositoryInputs.RunFile();
        App(runFile, "catalog")["env"]!["Catalog__HttpPort"] = "9095";

        Assert.Equal(
            ["dapr.yaml app catalog: appPort 9093 is not the port the app serves HTTP on, Catalog__HttpPort = 9095"],
            DaprRunFile.Check(runFile, await RepositoryInputs.ClusterAppIdsAsync()));
    }

    [Fact]
    public async Task Check_TwoAppsOnOnePort_Reported()
    {
        var runFile = RepositoryInputs.RunFile();
        App(runFile, "metrics-collector")["daprHTTPPort"] = 3501;

        Assert.Equal(
            ["dapr.yaml: port 3501 is taken by picker daprHTTPPort and metrics-collector daprHTTPPort"],
            DaprRunFile.Check(runFile, await RepositoryInputs.ClusterAppIdsAsync()));
    }

    [Fact]
    public async Task Check_AppGrpcPortOnAnotherAppsPort_Reported()
    {
        var runFile = RepositoryInputs.RunFile();
        App(runFile, "queue")["env"]!["Queue__GrpcPort"] = "9002";

        Assert.Equal(
            ["dapr.yaml: port 9002 is taken by picker Picker__GrpcPort and queue Queue__GrpcPort"],
            DaprRunFile.Check(runFile, await RepositoryInputs.ClusterAppIdsAsync()));
    }

    [Fact]
    public async Task Check_AppMissingAndPathWrong_Reported()
    {
        var runFile = RepositoryInputs.RunFile();
        var apps = runFile["apps"]!.AsArray();
        apps.Remove(App(runFile, "queue"));
        runFile["common"]!["resourcesPath"] = "./components/locals";

        Assert.Equal(
            ["dapr.yaml runs no app queue, which deploy/base runs", "dapr.yaml common resourcesPath: ./components/locals does not exist"],
            DaprRunFile.Check(runFile, await RepositoryInputs.ClusterAppIdsAsync()));
    }

    private static JsonObject App(JsonObject runFile, string appId) =>
        runFile["apps"]!.AsArray().OfType<JsonObject>().Single(app => app["appID"]!.GetValue<string>() == appId);
}
