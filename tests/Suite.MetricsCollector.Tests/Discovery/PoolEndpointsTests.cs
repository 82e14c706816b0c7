using System.Collections.Immutable;
using k8s.Models;
using Suite.MetricsCollector.Discovery;
using static Suite.MetricsCollector.Tests.Discovery.TestPods;

namespace Suite.MetricsCollector.Tests.Discovery;

public sealed class PoolEndpointsTests
{
    [Fact]
    public void Resolve_PodCarryingEverySelectorLabel_IsAnEndpoint()
    {
        var pool = Pool("chat", "app=chat,tier=gpu", [8000]);
        var pod = Serving("chat-0", "10.0.0.1", "app=chat,tier=gpu,extra=ignored");

        var topology = PoolEndpoints.Resolve([pool], [pod]);

        var only = Assert.Single(topology);
        Assert.Equal(("default", "chat", false), (only.Namespace, only.Name, only.FailOpen));
        Assert.Equal([new DiscoveredEndpoint("chat-0", "10.0.0.1:8000", "vllm", 8000)], only.Endpoints.AsEnumerable());
    }

    [Theory]
    [InlineData("app=chat")]
    [InlineData("app=chat,tier=cpu")]
    [InlineData("tier=gpu")]
    [InlineData("")]
    public void Resolve_PodMissingOrMismatchingASelectorLabel_IsNotAnEndpoint(string podLabels)
    {
        var pool = Pool("chat", "app=chat,tier=gpu", [8000]);

        var topology = PoolEndpoints.Resolve([pool], [Serving("chat-0", "10.0.0.1", podLabels)]);

        Assert.Empty(Assert.Single(topology).Endpoints);
    }

    [Fact]
    public void Resolve_PodInAnotherNamespace_IsNotAnEndpoint()
    {
        var pool = Pool("chat", "app=chat", [8000], ns: "team-a");
        var pods = new[] { Serving("a-0", "10.0.0.1", "app=chat", ns: "team-a"), Serving("b-0", "10.0.0.2", "app=chat", ns: "team-b") };

        var topology = PoolEndpoints.Resolve([pool], pods);

        Assert.Equal(["10.0.0.1:8000"], Assert.Single(topology).Endpoints.Select(endpoint => endpoint.Address));
    }

    [Fact]
    public void Resolve_PodAndPoolWithoutNamespace_MeetInDefault()
    {
        var pool = Pool("chat", "app=chat", [8000]);
        var pod = Serving("chat-0", "10.0.0.1", "app=chat");
        pod.Metadata.NamespaceProperty = null;

        var topology = PoolEndpoints.Resolve([pool], [pod]);

        Assert.Equal(["10.0.0.1:8000"], Assert.Single(topology).Endpoints.Select(endpoint => endpoint.Address));
    }

    [Theory]
    [InlineData("False")]
    [InlineData("Unknown")]
    public void Resolve_PodNotReady_IsNotAnEndpoint(string ready)
    {
        var pod = Serving("chat-0", "10.0.0.1", "app=chat");
        pod.Status.Conditions = [new V1PodCondition { Type = "PodScheduled", Status = "True" }, new V1PodCondition { Type = "Ready", Status = ready }];

        Assert.Empty(Assert.Single(PoolEndpoints.Resolve([Pool("chat", "app=chat", [8000])], [pod])).Endpoints);
    }

    [Fact]
    public void Resolve_PodWithoutReadyCondition_IsNotAnEndpoint()
    {
        var pod = Serving("chat-0", "10.0.0.1", "app=chat");
        pod.Status.Conditions = [new V1PodCondition { Type = "ContainersReady", Status = "True" }];

        Assert.Empty(Assert.Single(PoolEndpoints.Resolve([Pool("chat", "app=chat", [8000])], [pod])).Endpoints);
    }

    [Fact]
    public void Resolve_TerminatingPod_IsNotAnEndpoint()
    {
        var pod = Serving("chat-0", "10.0.0.1", "app=chat");
        pod.Metadata.DeletionTimestamp = new DateTime(2025, 5, 1, 10, 0, 0, DateTimeKind.Utc);

        Assert.Empty(Assert.Single(PoolEndpoints.Resolve([Pool("chat", "app=chat", [8000])], [pod])).Endpoints);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Resolve_PodWithoutIp_IsNotAnEndpoint(string? ip)
    {
        var pod = Serving("chat-0", "10.0.0.1", "app=chat");
        pod.Status.PodIP = ip;

        Assert.Empty(Assert.Single(PoolEndpoints.Resolve([Pool("chat", "app=chat", [8000])], [pod])).Endpoints);
    }

    [Theory]
    [InlineData("Pending")]
    [InlineData("Succeeded")]
    [InlineData("Failed")]
    [InlineData("Unknown")]
    [InlineData(null)]
    public void Resolve_PodNotRunning_IsNotAnEndpoint(string? phase)
    {
        var pod = Serving("chat-0", "10.0.0.1", "app=chat");
        pod.Status.Phase = phase;

        Assert.Empty(Assert.Single(PoolEndpoints.Resolve([Pool("chat", "app=chat", [8000])], [pod])).Endpoints);
    }

    [Fact]
    public void Resolve_PodWithoutStatus_IsNotAnEndpoint()
    {
        var pod = Serving("chat-0", "10.0.0.1", "app=chat");
        pod.Status = null;

        Assert.Empty(Assert.Single(PoolEndpoints.Resolve([Pool("chat", "app=chat", [8000])], [pod])).Endpoints);
    }

    [Fact]
    public void Resolve_SeveralTargetPorts_OneEndpointPerPodAndPort()
    {
        var pool = Pool("chat", "app=chat", [8001, 8000]);
        var pods = new[] { Serving("chat-1", "10.0.0.2", "app=chat"), Serving("chat-0", "10.0.0.1", "app=chat") };

        var topology = PoolEndpoints.Resolve([pool], pods);

        Assert.Equal(
            [
                new DiscoveredEndpoint("chat-0", "10.0.0.1:8000", "vllm", 8000),
                new DiscoveredEndpoint("chat-0", "10.0.0.1:8001", "vllm", 8001),
                new DiscoveredEndpoint("chat-1", "10.0.0.2:8000", "vllm", 8000),
                new DiscoveredEndpoint("chat-1", "10.0.0.2:8001", "vllm", 8001),
            ],
            Assert.Single(topology).Endpoints.AsEnumerable());
    }

    [Fact]
    public void Resolve_EndpointsSortedByAddressOrdinally()
    {
        var pods = new[]
        {
            Serving("c", "10.0.0.9", "app=chat"),
            Serving("a", "10.0.0.10", "app=chat"),
            Serving("b", "10.0.0.1", "app=chat"),
        };

        var topology = PoolEndpoints.Resolve([Pool("chat", "app=chat", [8000])], pods);

        Assert.Equal(["10.0.0.10:8000", "10.0.0.1:8000", "10.0.0.9:8000"], Assert.Single(topology).Endpoints.Select(endpoint => endpoint.Address));
    }

    [Fact]
    public void Resolve_PoolsSortedByNamespaceThenName()
    {
        var pools = new[]
        {
            Pool("b", "app=x", [8000], ns: "ns-1"),
            Pool("a", "app=x", [8000], ns: "ns-2"),
            Pool("a", "app=x", [8000], ns: "ns-1"),
        };

        var topology = PoolEndpoints.Resolve(pools, []);

        Assert.Equal([("ns-1", "a"), ("ns-1", "b"), ("ns-2", "a")], topology.Select(pool => (pool.Namespace, pool.Name)));
    }

    [Fact]
    public void Resolve_NoEngineLabel_EngineIsVllm()
    {
        var topology = PoolEndpoints.Resolve([Pool("chat", "app=chat", [8000])], [Serving("chat-0", "10.0.0.1", "app=chat")]);

        Assert.Equal("vllm", Assert.Single(Assert.Single(topology).Endpoints).EngineType);
    }

    [Fact]
    public void Resolve_EngineLabel_NamesTheEngine()
    {
        var pod = Serving("qwen-0", "10.0.0.1", "app=qwen,inference.networking.k8s.io/engine-type=sglang");

        var topology = PoolEndpoints.Resolve([Pool("qwen", "app=qwen", [30000])], [pod]);

        Assert.Equal(new DiscoveredEndpoint("qwen-0", "10.0.0.1:30000", "sglang", 30000), Assert.Single(Assert.Single(topology).Endpoints));
    }

    [Fact]
    public void Resolve_PoolWithEmptySelector_IsLeftOutAndMatchesNothing()
    {
        var pools = new[] { Pool("everything", "", [8000]), Pool("chat", "app=chat", [8000]) };

        var topology = PoolEndpoints.Resolve(pools, [Serving("chat-0", "10.0.0.1", "app=chat")]);

        Assert.Equal(["chat"], topology.Select(pool => pool.Name));
    }

    [Fact]
    public void Resolve_InvalidPool_IsLeftOut()
    {
        var pools = new[] { Pool("bad-port", "app=chat", [0]), Pool("chat", "app=chat", [8000]) };

        var topology = PoolEndpoints.Resolve(pools, [Serving("chat-0", "10.0.0.1", "app=chat")]);

        Assert.Equal(["chat"], topology.Select(pool => pool.Name));
    }

    [Fact]
    public void Resolve_PodMatchingTwoPools_IsAnEndpointOfBoth()
    {
        var pools = new[] { Pool("all-gpu", "tier=gpu", [8000]), Pool("chat", "app=chat", [8000]) };

        var topology = PoolEndpoints.Resolve(pools, [Serving("chat-0", "10.0.0.1", "app=chat,tier=gpu")]);

        Assert.Equal(["all-gpu", "chat"], topology.Select(pool => pool.Name));
        Assert.All(topology, pool => Assert.Equal(["10.0.0.1:8000"], pool.Endpoints.Select(endpoint => endpoint.Address)));
    }

    [Fact]
    public void Resolve_FailOpenPool_KeepsItsFailureMode()
    {
        var topology = PoolEndpoints.Resolve([Pool("chat", "app=chat", [8000], failOpen: true)], []);

        Assert.True(Assert.Single(topology).FailOpen);
    }

    [Fact]
    public void Resolve_V1AndLegacyPoolOfTheSameName_V1Wins()
    {
        var pools = new[] { Pool("chat", "app=new", [8000]), LegacyPool("chat", "app=old", 9000) };
        var pods = new[] { Serving("new-0", "10.0.0.1", "app=new"), Serving("old-0", "10.0.0.2", "app=old") };

        var topology = PoolEndpoints.Resolve(pools, pods);

        Assert.Equal(["10.0.0.1:8000"], Assert.Single(topology).Endpoints.Select(endpoint => endpoint.Address));
    }

    [Fact]
    public void Resolve_TwoPoolsOfTheSameNameAndVersion_LaterWins()
    {
        var pools = new[] { Pool("chat", "app=chat", [8000]), Pool("chat", "app=chat", [9000]) };

        var topology = PoolEndpoints.Resolve(pools, [Serving("chat-0", "10.0.0.1", "app=chat")]);

        Assert.Equal(["10.0.0.1:9000"], Assert.Single(topology).Endpoints.Select(endpoint => endpoint.Address));
    }

    [Fact]
    public void Resolve_Ipv6Pod_AddressIsBracketed()
    {
        var topology = PoolEndpoints.Resolve([Pool("chat", "app=chat", [8000])], [Serving("chat-0", "fd00::1", "app=chat")]);

        Assert.Equal("[fd00::1]:8000", Assert.Single(Assert.Single(topology).Endpoints).Address);
    }

    [Fact]
    public void AreEqual_SamePoolsBuiltTwice_True()
    {
        var pods = new[] { Serving("chat-0", "10.0.0.1", "app=chat") };

        var first = PoolEndpoints.Resolve([Pool("chat", "app=chat", [8000])], pods);
        var second = PoolEndpoints.Resolve([Pool("chat", "app=chat", [8000])], pods);

        Assert.True(PoolEndpoints.AreEqual(first, second));
    }

    [Fact]
    public void AreEqual_OneEndpointDiffers_False()
    {
        var first = PoolEndpoints.Resolve([Pool("chat", "app=chat", [8000])], [Serving("chat-0", "10.0.0.1", "app=chat")]);
        var second = PoolEndpoints.Resolve([Pool("chat", "app=chat", [8000])], [Serving("chat-0", "10.0.0.2", "app=chat")]);

        Assert.False(PoolEndpoints.AreEqual(first, second));
        Assert.False(PoolEndpoints.AreEqual(first, ImmutableArray<PoolTopology>.Empty));
    }
}
