using Suite.ModelSim.Hosting;
using Suite.ModelSim.Metrics;

namespace Suite.ModelSim.Tests.Configuration;

public class SimulatorConfigurationTests
{
    [Fact]
    public void Load_NoFlags_GivesThe8BPresetOnOneInstance()
    {
        var settings = SimulatorConfiguration.Load([]);

        Assert.Equal(("llama-3.1-8b-h100", 1, 8000), (settings.Fleet.Preset, settings.Fleet.Instances, settings.Fleet.Port));
        Assert.Equal(Suite.ModelSim.Engine.Presets.Llama8BH100, settings.Engine);
    }

    [Fact]
    public void Load_KebabFlagsAndKeys_OverrideThePreset()
    {
        var settings = SimulatorConfiguration.Load(
            ["--preset", "llama-3.1-70b-h100-tp4", "--num-gpu-blocks", "9000", "--Engine:MaxLoras", "2", "--model", "my/model", "--metrics-format", "sglang", "--error-rate", "0.5"]);

        Assert.Equal(("my/model", 9000, 2), (settings.Engine.ModelName, settings.Engine.NumGpuBlocks, settings.Engine.MaxLoras));
        Assert.Equal(17.0, settings.Engine.StepOverheadMs); // the rest comes from the 70B preset
        Assert.Equal(MetricsFormat.Sglang, settings.Fleet.MetricsFormat);
        Assert.Equal(0.5, settings.Faults.ErrorRate);
    }

    [Theory]
    [InlineData(new[] { "--num-gpu-blokcs", "10" }, "num-gpu-blokcs")]
    [InlineData(new[] { "--preset", "gpt-5" }, "Fleet:Preset 'gpt-5'")]
    [InlineData(new[] { "--num-gpu-blocks", "many" }, "Engine:NumGpuBlocks")]
    [InlineData(new[] { "--num-gpu-blocks", "10" }, "Engine:MaxModelLen must fit the KV cache")]
    [InlineData(new[] { "--lora-modules", "a=/x,a=/y" }, "Fleet:LoraModules has a bad or repeated entry 'a=/y'")]
    [InlineData(new[] { "--die-rate", "3" }, "Faults:DieRate must be 0–1")]
    [InlineData(new[] { "--config", "/nonexistent/sim.json" }, "file '/nonexistent/sim.json' not found")]
    public void Load_BadSetting_NamesIt(string[] args, string expected)
    {
        var error = Assert.Throws<SimulatorConfigurationException>(() => SimulatorConfiguration.Load(args));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ConfigFile_IsReadAndFlagsWin()
    {
        var file = Path.Combine(Path.GetTempPath(), $"model-sim-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, """{"Fleet": {"Instances": 3, "Preset": "tiny"}, "Engine": {"MaxNumSeqs": 4, "MaxWaiting": 9}}""");
        try
        {
            var settings = SimulatorConfiguration.Load(["--config", file, "--max-waiting", "5"]);

            Assert.Equal((3, 4, 5), (settings.Fleet.Instances, settings.Engine.MaxNumSeqs, settings.Engine.MaxWaiting));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Usage_ListsEveryEngineSetting()
    {
        foreach (var property in typeof(Suite.ModelSim.Engine.EngineProfile).GetProperties().Where(p => p.CanWrite))
        {
            Assert.Contains("--" + string.Concat(property.Name.Select((c, i) => i > 0 && char.IsUpper(c) ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString())), SimulatorConfiguration.Usage, StringComparison.Ordinal);
        }
    }
}
