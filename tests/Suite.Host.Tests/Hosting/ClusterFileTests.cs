using Suite.Host.Cluster;
using Suite.Host.CommandLine;
using Suite.Host.Ports;
using Suite.Host.Simulation;

namespace Suite.Host.Tests.Hosting;

/// <summary>What the host reads from the cluster file, and how it rejects a file it cannot run.</summary>
public sealed class ClusterFileTests
{
    private const string File = "/clusters/demo.yaml";

    [Fact]
    public void Parse_Pools_InFileOrderWithAnnotationsAndTheirInferenceModels()
    {
        var cluster = ClusterFile.Parse(
            TestClusters.Join(
                TestClusters.Pool("zeta-pool", 8000, "model-sim.suite/instances: \"3\""),
                TestClusters.Model("chat", "zeta-pool", "base"),
                TestClusters.Pool("alpha-pool", 8001),
                TestClusters.Model("sql", "alpha-pool", "sql-lora"),
                TestClusters.Model("summary", "zeta-pool", "base")),
            File);

        Assert.Equal(["zeta-pool", "alpha-pool"], cluster.Pools.Select(pool => pool.Name));
        Assert.Equal([0, 1], cluster.Pools.Select(pool => pool.Index));
        Assert.Equal("3", cluster.Pools[0].Annotations["model-sim.suite/instances"]);
        Assert.Empty(cluster.Pools[1].Annotations);
        Assert.Equal(["chat", "summary"], cluster.Pools[0].Models);
        Assert.Equal(["sql"], cluster.Pools[1].Models);
    }

    [Fact]
    public void Parse_NoPool_SaysTheSuiteNeedsOne()
    {
        var error = Assert.Throws<SuiteConfigurationException>(() => ClusterFile.Parse(TestClusters.Model("chat", "p", "base"), File));

        Assert.Equal($"--cluster-file: '{File}' has no InferencePool; the suite needs at least one.", error.Message);
    }

    [Fact]
    public void Parse_TwoPoolsOfOneName_NamesThePool()
    {
        var error = Assert.Throws<SuiteConfigurationException>(() =>
            ClusterFile.Parse(TestClusters.Join(TestClusters.Pool("p", 8000), TestClusters.Pool("p", 8001)), File));

        Assert.Equal("--cluster-file: two InferencePools are named 'p'; each pool needs its own name.", error.Message);
    }

    [Fact]
    public void Parse_InvalidPool_GivesTheCrdRule()
    {
        var yaml = TestClusters.Pool("p", 8000).Replace("- number: 8000", "- number: 0", StringComparison.Ordinal);

        var error = Assert.Throws<SuiteConfigurationException>(() => ClusterFile.Parse(yaml, File));

        Assert.Equal(
            "--cluster-file: InferencePool default/p (inference.networking.k8s.io/v1): spec.targetPorts[0].number is 0; a port must be between 1 and 65535.",
            error.Message);
    }

    [Fact]
    public void Parse_BrokenYaml_NamesTheFileAndLine()
    {
        var error = Assert.Throws<SuiteConfigurationException>(() => ClusterFile.Parse("apiVersion: v1\nkind: [unclosed\n", File));

        Assert.StartsWith($"--cluster-file: {File} line ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnreadableFile_NamesIt()
    {
        var directory = Directory.CreateTempSubdirectory("suite-host-cluster-").FullName;
        try
        {
            var error = Assert.Throws<SuiteConfigurationException>(() => ClusterFile.Load(directory));

            Assert.StartsWith($"--cluster-file: '{directory}' cannot be read: ", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory);
        }
    }

    [Fact]
    public void PortPlan_TwoSimulatedPoolsOnOnePort_AsksForAPortEach()
    {
        var cluster = ClusterFile.Parse(TestClusters.Join(TestClusters.Pool("chat", 8000), TestClusters.Pool("lora", 8000)), File);
        var simulations = cluster.Pools.Select(pool => PoolSimulation.For(pool, simulators: null)!).ToArray();

        var error = Assert.Throws<SuiteConfigurationException>(() => PortPlan.Create(new SuiteHostOptions(), cluster, simulations));

        Assert.Equal(
            "--cluster-file: InferencePools chat and lora both have target port 8000; simulated pods of every pool share the addresses 127.0.1.x, "
            + "so give each pool its own port (or run with --simulators 0).",
            error.Message);
    }

    [Fact]
    public void PortPlan_TwoPoolsOnOnePortWithoutSimulators_IsFine()
    {
        var cluster = ClusterFile.Parse(TestClusters.Join(TestClusters.Pool("chat", 8000), TestClusters.Pool("lora", 8000)), File);

        var plan = PortPlan.Create(new SuiteHostOptions { Simulators = 0 }, cluster, []);

        Assert.Equal([9002, 9012], cluster.Pools.Select(pool => plan.ExtProcPortOf(pool.Index)));
    }

    [Fact]
    public void PortPlan_ServicePortOnAPodPort_NamesBothUses()
    {
        var cluster = ClusterFile.Parse(TestClusters.Pool("chat", 9090), File);

        var error = Assert.Throws<SuiteConfigurationException>(() =>
            PortPlan.Create(new SuiteHostOptions(), cluster, [PoolSimulation.For(cluster.Pools[0], simulators: 1)!]));

        Assert.Equal(
            "port 9090 on 127.0.1.1 is wanted twice: by the Prometheus metrics endpoint and by the simulated pods of pool chat; "
            + $"change the pool's targetPorts in {File}.",
            error.Message);
    }

    [Fact]
    public void PortPlan_ExtProcPortBeyondTheRange_NamesThePool()
    {
        var cluster = ClusterFile.Parse(TestClusters.Join(TestClusters.Pool("chat", 8000), TestClusters.Pool("lora", 8001)), File);

        var error = Assert.Throws<SuiteConfigurationException>(() =>
            PortPlan.Create(new SuiteHostOptions { ExtProcPort = 65530, Simulators = 0 }, cluster, []));

        Assert.Equal(
            "--extproc-port 65530: pool lora, number 2 in the file, would get port 65540, beyond 65535; choose a lower base.",
            error.Message);
    }
}
