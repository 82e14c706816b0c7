using Suite.Host.Cluster;
using Suite.Host.CommandLine;
using Suite.Host.Simulation;

namespace Suite.Host.Tests.Hosting;

/// <summary>How a pool's annotations (and <c>--simulators</c>) describe its simulated pods.</summary>
public sealed class PoolSimulationTests
{
    [Fact]
    public void For_NoAnnotations_TwoTinyPodsOnTheFirstTargetPort()
    {
        var simulation = PoolSimulation.For(PoolWith(), simulators: null)!;

        Assert.Equal((2, "tiny", "sim/tiny", 8000, ""), (simulation.Instances, simulation.Preset, simulation.Profile.ModelName, simulation.Port, simulation.LoraModules));
    }

    [Fact]
    public void For_Annotations_SetPresetInstancesBatchAndAdapters()
    {
        var simulation = PoolSimulation.For(
            PoolWith(
                "model-sim.suite/instances: \"3\"",
                "model-sim.suite/preset: llama-3.1-8b-h100",
                "model-sim.suite/max-num-seqs: \"32\"",
                "model-sim.suite/lora-modules: a=/adapters/a,b=/adapters/b"),
            simulators: null)!;

        Assert.Equal(
            (3, "llama-3.1-8b-h100", "meta-llama/Llama-3.1-8B-Instruct", 32, "a=/adapters/a,b=/adapters/b"),
            (simulation.Instances, simulation.Preset, simulation.Profile.ModelName, simulation.Profile.MaxNumSeqs, simulation.LoraModules));
    }

    [Fact]
    public void For_SimulatorsFlag_OverridesTheInstancesAnnotation()
    {
        var simulation = PoolSimulation.For(PoolWith("model-sim.suite/instances: \"3\""), simulators: 1)!;

        Assert.Equal(1, simulation.Instances);
    }

    [Theory]
    [InlineData(0, null)]
    [InlineData(null, "model-sim.suite/instances: \"0\"")]
    public void For_NoInstances_HasNoSimulation(int? simulators, string? annotation)
    {
        var pool = annotation is null ? PoolWith() : PoolWith(annotation);

        Assert.Null(PoolSimulation.For(pool, simulators));
    }

    [Theory]
    [InlineData("model-sim.suite/instance: \"3\"",
        "--cluster-file: InferencePool p: unknown annotation model-sim.suite/instance; known ones are model-sim.suite/instances, model-sim.suite/preset, model-sim.suite/lora-modules, model-sim.suite/max-num-seqs.")]
    [InlineData("model-sim.suite/instances: lots",
        "--cluster-file: InferencePool p: annotation model-sim.suite/instances must be a whole number from 0 to 250, not 'lots'.")]
    [InlineData("model-sim.suite/preset: gpt-5",
        "--cluster-file: InferencePool p: annotation model-sim.suite/preset 'gpt-5' is not a model-sim preset; choose one of llama-3.1-8b-h100, llama-3.1-70b-h100-tp4, tiny.")]
    [InlineData("model-sim.suite/max-num-seqs: \"0\"",
        "--cluster-file: InferencePool p: annotation model-sim.suite/max-num-seqs must be a whole number from 1 to 2048, not '0'.")]
    [InlineData("model-sim.suite/lora-modules: a=/x,a=/y",
        "--cluster-file: InferencePool p: annotation model-sim.suite/lora-modules has a bad or repeated entry 'a=/y' (expected name=path,name=path).")]
    public void For_BadAnnotation_NamesPoolAndAnnotation(string annotation, string message)
    {
        var error = Assert.Throws<SuiteConfigurationException>(() => PoolSimulation.For(PoolWith(annotation), simulators: null));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void For_SimulatedPoolWithTwoTargetPorts_AsksForOne()
    {
        var yaml = TestClusters.Pool("p", 8000).Replace("    - number: 8000", "    - number: 8000\n    - number: 8100", StringComparison.Ordinal);
        var pool = ClusterFile.Parse(yaml, "c.yaml").Pools[0];

        var error = Assert.Throws<SuiteConfigurationException>(() => PoolSimulation.For(pool, simulators: null));

        Assert.Equal(
            "--cluster-file: InferencePool p: has 2 target ports, but simulated pods listen on one; give it one port (or run with --simulators 0).",
            error.Message);
    }

    private static ClusterPool PoolWith(params string[] annotations) =>
        ClusterFile.Parse(TestClusters.Pool("p", 8000, annotations), "c.yaml").Pools[0];
}
