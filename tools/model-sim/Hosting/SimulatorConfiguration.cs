using System.Text;
using Suite.ModelSim.Engine;
using Suite.ModelSim.Faults;

namespace Suite.ModelSim.Hosting;

/// <summary>A configuration mistake, with a message that names the key.</summary>
public sealed class SimulatorConfigurationException(string message) : Exception(message);

/// <summary>Everything the simulator is started with.</summary>
public sealed record SimulatorSettings(FleetOptions Fleet, EngineProfile Engine, FaultSettings Faults);

/// <summary>
/// Reads settings from, in rising precedence, an optional JSON file (<c>--config</c>), environment variables
/// prefixed <c>MODELSIM_</c> (<c>MODELSIM_Engine__NumGpuBlocks</c>) and flags. Every setting has a kebab-case flag
/// (<c>--num-gpu-blocks 4000</c>) besides its configuration key (<c>--Engine:NumGpuBlocks 4000</c>).
/// </summary>
public static class SimulatorConfiguration
{
    private static readonly string[] Sections = ["Fleet", "Engine", "Faults"];

    public static string Usage { get; } = BuildUsage();

    public static SimulatorSettings Load(string[] args)
    {
        var mappings = SwitchMappings();
        var flags = new ConfigurationBuilder().AddCommandLine(args, mappings).Build();
        var unknown = flags.GetChildren().Select(c => c.Key)
            .Where(key => !Sections.Contains(key, StringComparer.OrdinalIgnoreCase) && !key.Equals("config", StringComparison.OrdinalIgnoreCase))
            .ToArray();
        if (unknown.Length > 0)
        {
            throw new SimulatorConfigurationException($"Unknown setting(s): {string.Join(", ", unknown)}. Run with --help for the list.");
        }

        var builder = new ConfigurationBuilder();
        if (flags["config"] is { } file)
        {
            if (!File.Exists(file))
            {
                throw new SimulatorConfigurationException($"--config: file '{file}' not found.");
            }

            builder.AddJsonFile(Path.GetFullPath(file), optional: false);
        }

        var configuration = builder.AddEnvironmentVariables("MODELSIM_").AddCommandLine(args, mappings).Build();
        try
        {
            var fleet = new FleetOptions();
            Bind(configuration, "Fleet", fleet);
            if (!Presets.ByName.TryGetValue(fleet.Preset, out var preset))
            {
                throw new SimulatorConfigurationException(
                    $"Fleet:Preset '{fleet.Preset}' is not a preset; choose one of {string.Join(", ", Presets.ByName.Keys)}.");
            }

            var engine = preset with { };
            Bind(configuration, "Engine", engine);
            var faults = new FaultSettings();
            Bind(configuration, "Faults", faults);
            var problems = fleet.Validate().Concat(engine.Validate()).Concat(faults.Validate()).ToArray();
            return problems.Length == 0
                ? new SimulatorSettings(fleet, engine, faults)
                : throw new SimulatorConfigurationException("Invalid settings: " + string.Join("; ", problems) + ".");
        }
        catch (InvalidOperationException e)
        {
            // The binder's message names the key and the value it could not convert, or the unknown key.
            throw new SimulatorConfigurationException(e.Message);
        }
    }

    private static void Bind(IConfiguration configuration, string section, object target) =>
        configuration.GetSection(section).Bind(target, options => options.ErrorOnUnknownConfiguration = true);

    private static Dictionary<string, string> SwitchMappings()
    {
        var mappings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["--model"] = "Engine:ModelName" };
        foreach (var (section, type) in SettingTypes())
        {
            foreach (var property in type.GetProperties().Where(p => p.CanWrite))
            {
                mappings["--" + Kebab(property.Name)] = $"{section}:{property.Name}";
            }
        }

        return mappings;
    }

    private static IEnumerable<(string Section, Type Type)> SettingTypes() =>
        [("Fleet", typeof(FleetOptions)), ("Engine", typeof(EngineProfile)), ("Faults", typeof(FaultSettings))];

    private static string Kebab(string name)
    {
        var kebab = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c) && i > 0 && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1])))
            {
                kebab.Append('-');
            }

            kebab.Append(char.ToLowerInvariant(c));
        }

        return kebab.ToString();
    }

    private static string BuildUsage()
    {
        var usage = new StringBuilder("""
            model-sim — simulated vLLM model servers.

              model-sim [--config settings.json] [--preset NAME] [--instances N] [--port P] [flags]

            Every setting below is also a configuration key (Section:Name) for the JSON file and for
            environment variables (MODELSIM_Section__Name). Defaults come from the preset (Engine) or are shown.

            """);
        var fleet = new FleetOptions();
        var engine = Presets.Llama8BH100;
        var faults = new FaultSettings();
        foreach (var (section, type) in SettingTypes())
        {
            object defaults = section switch { "Fleet" => fleet, "Engine" => engine, _ => faults };
            usage.Append('\n').Append(section).Append(":\n");
            foreach (var property in type.GetProperties().Where(p => p.CanWrite))
            {
                usage.Append("  --").Append(Kebab(property.Name).PadRight(26)).Append(property.GetValue(defaults)).Append('\n');
            }
        }

        return usage.Append("\n  --model is short for --model-name.\n").ToString();
    }
}
