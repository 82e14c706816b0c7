extern alias ModelSim;

using System.Globalization;
using ModelSim::Suite.ModelSim.Engine;
using ModelSim::Suite.ModelSim.Faults;
using ModelSim::Suite.ModelSim.Hosting;
using Suite.Host.Cluster;
using Suite.Host.CommandLine;

namespace Suite.Host.Simulation;

/// <summary>
/// The simulated vLLM pods of one pool, described by the pool's annotations: instance <c>i</c> listens on
/// 127.0.1.(i+1) at the pool's first target port and answers as pod <c>{pool}-{i}</c>.
/// </summary>
internal sealed record PoolSimulation(ClusterPool Pool, int Instances, string Preset, EngineProfile Profile, string LoraModules)
{
    public const string AnnotationPrefix = "model-sim.suite/";
    public const string InstancesAnnotation = AnnotationPrefix + "instances";
    public const string PresetAnnotation = AnnotationPrefix + "preset";
    public const string LoraModulesAnnotation = AnnotationPrefix + "lora-modules";
    public const string MaxNumSeqsAnnotation = AnnotationPrefix + "max-num-seqs";
    public const int DefaultInstances = 2;
    public const string DefaultPreset = "tiny";
    public const int MaxInstances = 250;

    private static readonly string[] Known = [InstancesAnnotation, PresetAnnotation, LoraModulesAnnotation, MaxNumSeqsAnnotation];

    public int Port => Pool.FirstTargetPort;

    /// <summary>Where instance <paramref name="index"/> listens: pods of every pool share these addresses, at their own port.</summary>
    public static string PodIp(int index) => $"127.0.1.{index + 1}";

    /// <summary>The pool's simulators, or null when it gets none (<c>--simulators 0</c>, or its instances annotation is 0).</summary>
    /// <param name="simulators">The <c>--simulators</c> flag, which overrides the instances annotation.</param>
    /// <exception cref="SuiteConfigurationException">An annotation is unknown or its value is bad.</exception>
    public static PoolSimulation? For(ClusterPool pool, int? simulators)
    {
        ArgumentNullException.ThrowIfNull(pool);
        if (pool.Annotations.Keys.FirstOrDefault(key => key.StartsWith(AnnotationPrefix, StringComparison.Ordinal) && !Known.Contains(key)) is { } unknown)
        {
            throw Problem(pool, $"unknown annotation {unknown}; known ones are {string.Join(", ", Known)}");
        }

        var instances = simulators ?? Count(pool, InstancesAnnotation, DefaultInstances, 0, MaxInstances);
        if (instances == 0)
        {
            return null;
        }

        var presetName = pool.Annotations.GetValueOrDefault(PresetAnnotation, DefaultPreset);
        if (!Presets.ByName.TryGetValue(presetName, out var profile))
        {
            throw Problem(pool, $"annotation {PresetAnnotation} '{presetName}' is not a model-sim preset; choose one of {string.Join(", ", Presets.ByName.Keys)}");
        }

        if (pool.Annotations.ContainsKey(MaxNumSeqsAnnotation))
        {
            // Every running sequence decodes each step, so the batch cannot outgrow the step's token budget.
            profile = profile with { MaxNumSeqs = Count(pool, MaxNumSeqsAnnotation, profile.MaxNumSeqs, 1, profile.MaxNumBatchedTokens) };
        }

        if (pool.View.TargetPorts.Length > 1)
        {
            throw Problem(pool, $"has {pool.View.TargetPorts.Length} target ports, but simulated pods listen on one; give it one port (or run with --simulators 0)");
        }

        var simulation = new PoolSimulation(pool, instances, presetName, profile, pool.Annotations.GetValueOrDefault(LoraModulesAnnotation, ""));
        try
        {
            _ = simulation.Fleet().ParseLoraModules();
        }
        catch (FormatException e)
        {
            throw Problem(pool, $"annotation {LoraModulesAnnotation} {e.Message}");
        }

        return simulation;
    }

    public SimulatorSettings Settings() => new(Fleet(), Profile, new FaultSettings());

    private FleetOptions Fleet() => new()
    {
        Preset = Preset,
        Instances = Instances,
        Port = Port,
        LoopbackAddresses = true,
        NamePrefix = Pool.Name,
        LoraModules = LoraModules,
    };

    private static int Count(ClusterPool pool, string annotation, int fallback, int min, int max)
    {
        if (!pool.Annotations.TryGetValue(annotation, out var text))
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw Problem(pool, $"annotation {annotation} must be a whole number from {min} to {max}, not '{text}'");
    }

    private static SuiteConfigurationException Problem(ClusterPool pool, string problem) =>
        new($"--cluster-file: InferencePool {pool.Name}: {problem}.");
}
