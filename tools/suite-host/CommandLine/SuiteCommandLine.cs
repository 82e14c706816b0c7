using System.Globalization;
using System.Net;
using Microsoft.Extensions.Configuration;

namespace Suite.Host.CommandLine;

/// <summary>Reads the flags (<c>--name value</c> or <c>--name=value</c>) into <see cref="SuiteHostOptions"/>.</summary>
internal static class SuiteCommandLine
{
    private const int MaxSimulatorsPerPool = 250;

    /// <summary>Flags and the keys they set; the keys are accepted as flags too (<c>--GatewayPort 8081</c>).</summary>
    public static IDictionary<string, string> SwitchMappings { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["--cluster-file"] = nameof(SuiteHostOptions.ClusterFile),
        ["--simulators"] = nameof(SuiteHostOptions.Simulators),
        ["--config-file"] = nameof(SuiteHostOptions.ConfigFile),
        ["--address"] = nameof(SuiteHostOptions.Address),
        ["--gateway-port"] = nameof(SuiteHostOptions.GatewayPort),
        ["--extproc-port"] = nameof(SuiteHostOptions.ExtProcPort),
        ["--health-port"] = nameof(SuiteHostOptions.HealthPort),
        ["--queue-port"] = nameof(SuiteHostOptions.QueuePort),
        ["--metrics-port"] = nameof(SuiteHostOptions.MetricsPort),
    };

    public static string Usage { get; } = $"""
        suite — the whole endpoint-picker suite in one process: simulated vLLM pods, metrics-collector, catalog,
        queue, one picker per InferencePool and the local gateway, over an in-memory bus and state store.

        usage: suite [--flag value]...

          --cluster-file PATH   InferencePools, InferenceModels, ... and, with --simulators 0, Pods
                                (default: examples/demo-cluster.yaml next to the binary)
          --simulators N        simulated pods per pool, overriding each pool's model-sim.suite/instances
                                annotation; 0 starts none and scrapes the file's Pods instead
          --config-file PATH    the pickers' scheduling profile (default: examples/picker-profile.yaml next to the binary)
          --address IP          where the gateway listens (default 127.0.0.1)
          --gateway-port N      the gateway, OpenAI API and dashboard (default {SuiteHostOptions.DefaultGatewayPort})
          --extproc-port N      pool i's picker (ext_proc, h2c) listens on N + {SuiteHostOptions.ExtProcPortStride}·i (default {SuiteHostOptions.DefaultExtProcPort})
          --health-port N       grpc.health.v1: liveness, readiness (default {SuiteHostOptions.DefaultHealthPort})
          --queue-port N        the queue service (h2c) (default {SuiteHostOptions.DefaultQueuePort})
          --metrics-port N      Prometheus /metrics of every service (default {SuiteHostOptions.DefaultMetricsPort})

        A port of 0 picks a free one. Exit codes: 0 stopped by Ctrl-C or SIGTERM, 1 could not start, 2 bad flag or file.
        """;

    public static bool WantsHelp(IReadOnlyList<string> args) =>
        args.Any(arg => arg is "--help" or "-h" or "-?" or "help");

    /// <exception cref="SuiteConfigurationException">A flag is unknown, lacks its value, or its value is bad.</exception>
    public static SuiteHostOptions Parse(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        CheckShape(args);
        IConfiguration flags;
        try
        {
            flags = new ConfigurationBuilder().AddCommandLine(args, SwitchMappings).Build();
        }
        catch (FormatException e)
        {
            throw new SuiteConfigurationException($"{e.Message} Run with --help for the list.");
        }

        var known = new HashSet<string>(SwitchMappings.Values, StringComparer.OrdinalIgnoreCase);
        if (flags.GetChildren().FirstOrDefault(child => !known.Contains(child.Key)) is { } unknown)
        {
            throw new SuiteConfigurationException($"unknown option '--{unknown.Key}'; run with --help for the list.");
        }

        var defaults = new SuiteHostOptions();
        return new SuiteHostOptions
        {
            ClusterFile = ExistingFile(flags, "--cluster-file", defaults.ClusterFile),
            ConfigFile = ExistingFile(flags, "--config-file", defaults.ConfigFile),
            Simulators = flags[SwitchMappings["--simulators"]] is { } simulators ? Simulators(simulators) : null,
            Address = Address(flags[SwitchMappings["--address"]] ?? defaults.Address),
            GatewayPort = Port(flags, "--gateway-port", defaults.GatewayPort),
            ExtProcPort = Port(flags, "--extproc-port", defaults.ExtProcPort),
            HealthPort = Port(flags, "--health-port", defaults.HealthPort),
            QueuePort = Port(flags, "--queue-port", defaults.QueuePort),
            MetricsPort = Port(flags, "--metrics-port", defaults.MetricsPort),
        };
    }

    /// <summary>
    /// Every argument is a flag with a value: the configuration reader would silently drop a stray word or a flag
    /// left without its value at the end.
    /// </summary>
    private static void CheckShape(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                throw new SuiteConfigurationException(arg.StartsWith('-')
                    ? $"unknown option '{arg}'; run with --help for the list."
                    : $"unexpected argument '{arg}'; flags are '--name value'. Run with --help for the list.");
            }

            if (arg.Contains('=', StringComparison.Ordinal))
            {
                continue;
            }

            if (i + 1 >= args.Length)
            {
                throw new SuiteConfigurationException($"{arg} needs a value.");
            }

            i++; // its value
        }
    }

    private static string ExistingFile(IConfiguration flags, string flag, string fallback)
    {
        var path = Path.GetFullPath(flags[SwitchMappings[flag]] is { Length: > 0 } given ? given : fallback);
        return File.Exists(path) ? path : throw new SuiteConfigurationException($"{flag}: file '{path}' not found.");
    }

    private static int Simulators(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count <= MaxSimulatorsPerPool
            ? count
            : throw new SuiteConfigurationException($"--simulators must be a number of pods per pool (0-{MaxSimulatorsPerPool}), not '{text}'.");

    private static string Address(string text) =>
        IPAddress.TryParse(text, out _)
            ? text
            : throw new SuiteConfigurationException($"--address must be an IP address such as 127.0.0.1, not '{text}'.");

    private static int Port(IConfiguration flags, string flag, int fallback)
    {
        if (flags[SwitchMappings[flag]] is not { } text)
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= IPEndPoint.MaxPort
            ? port
            : throw new SuiteConfigurationException($"{flag} must be a TCP port (0-65535; 0 picks a free one), not '{text}'.");
    }
}
