using System.Text.Json.Nodes;
using Suite.Deploy.Tests.Rendering;
using Suite.Deploy.Tests.Support;

namespace Suite.Deploy.Tests.Checks;

public sealed class NetworkPolicyTests
{
    public static TheoryData<string> Directories => Data.Of(Kustomizations.ServiceRenderings);

    [Theory]
    [MemberData(nameof(Directories))]
    public async Task Services_AreReachableOnTheirPortsFromNamedPeersOnly(string directory)
    {
        Expect.NoProblems(NetworkPolicies.Check(await Renderings.OfAsync(directory)));
    }

    [Fact]
    public async Task Check_WorkloadNoPolicySelects_Reported()
    {
        var rendered = (await Renderings.OfAsync(Kustomizations.Base)).With("NetworkPolicy", "catalog", policy =>
            policy["spec"]!["podSelector"]!["matchLabels"]!["app.kubernetes.io/name"] = "catalogue");

        Assert.Equal(
            ["deploy/base: Deployment catalog: no NetworkPolicy selects its pods, so anyone in the cluster can reach every port"],
            NetworkPolicies.Check(rendered));
    }

    [Fact]
    public async Task Check_RuleOpenToEveryone_Reported()
    {
        var rendered = (await Renderings.OfAsync(Kustomizations.Base)).With("NetworkPolicy", "metrics-collector", policy =>
            policy["spec"]!["ingress"]![0]!.AsObject().Remove("from"));

        Assert.Equal(
            ["deploy/base: Deployment metrics-collector: NetworkPolicy metrics-collector has an ingress rule open to every source"],
            NetworkPolicies.Check(rendered));
    }

    [Fact]
    public async Task Check_PortNoRuleLetsIn_Reported()
    {
        var rendered = (await Renderings.OfAsync(Kustomizations.Base)).With("NetworkPolicy", "picker", policy =>
            policy["spec"]!["ingress"]!.AsArray().RemoveAt(0));

        Assert.Equal(
            ["deploy/base: Deployment picker: no NetworkPolicy rule lets anyone reach port 9002"],
            NetworkPolicies.Check(rendered));
    }

    [Fact]
    public async Task Check_ExtProcOpenToTheSuitesOwnPods_Reported()
    {
        var rendered = (await Renderings.OfAsync(Kustomizations.Base)).With("NetworkPolicy", "picker", policy =>
            policy["spec"]!["ingress"]![0]!["from"]!.AsArray().Add(
                new JsonObject { ["podSelector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app.kubernetes.io/name"] = "queue" } } }));

        Assert.Equal(
            ["deploy/base: NetworkPolicy picker: the ext_proc port 9002 admits StatefulSet queue; only gateways may ask for routes"],
            NetworkPolicies.Check(rendered));
    }

    [Fact]
    public async Task Check_QueueClosedToThePickers_Reported()
    {
        var rendered = (await Renderings.OfAsync(Kustomizations.Base)).With("NetworkPolicy", "queue", policy =>
            policy["spec"]!["ingress"]![0]!["from"]!.AsArray().RemoveAt(0));

        Assert.Equal(
            ["deploy/base: no NetworkPolicy rule lets the pickers reach the queue on 9004"],
            NetworkPolicies.Check(rendered));
    }

    [Fact]
    public async Task Check_SidecarApiPortLetIn_Reported()
    {
        var rendered = (await Renderings.OfAsync(Kustomizations.Base)).With("NetworkPolicy", "catalog", policy =>
            policy["spec"]!["ingress"]![0]!["ports"]!.AsArray().Add(new JsonObject { ["port"] = 3500, ["protocol"] = "TCP" }));

        Assert.Equal(
            ["deploy/base: Deployment catalog: NetworkPolicy catalog lets in the sidecar's API port 3500, which only the app in the pod may call"],
            NetworkPolicies.Check(rendered));
    }
}
