using System.Globalization;
using Suite.Routing.Quality.Runs;
using Suite.Routing.Quality.Workload;

namespace Suite.Routing.Quality;

/// <summary>The program's settings: flags, each with a default; <c>--quick</c> changes the ramps' defaults.</summary>
internal sealed record RoutingOptions
{
    public const string Usage = """
        Suite.Routing.Quality: routing quality of picker strategies on a simulated fleet, through the real ext_proc path.

          --quick                 short ramps (3 steps of 6 s), workloads chat, shared-prefix, multi-lora, strategies
                                  round-robin, reference-default, ours (and ours-2-replicas): about 5 minutes
          --workloads LIST        chat,shared-prefix,multi-lora,mixed-priority (default all four; quick: the first three)
          --strategies LIST       round-robin,random,least-requests,reference-default,ours,ours-2-replicas (default all; ours-2-replicas
                                  runs on shared-prefix only)
          --instances N           simulated pods (default 8)
          --preset NAME           model-sim preset (default llama-3.1-8b-h100)
          --rates LIST            req/s of each ramp step, e.g. 30 or 24,30 (default: each workload's own ramp, scaled
                                  with --instances)
          --step-seconds S        seconds per QPS step (default 15; quick 6)
          --saturation-seconds S  after chat, one step of chat-saturation this long at 95 % of the capacity the chat
                                  ramp measured; the chat target is judged there (default 180; quick 0 = skipped)
          --drain-seconds S       wait for stragglers after the last arrival (default 15; quick 6)
          --speedup X             simulated time runs X times faster than the wall clock (default 1)
          --capacity R            req/s the mixed-priority workload doubles (default: measured by chat in this run)
          --seed N                workload and fleet seed (default 42)
          --scrape-interval-ms N  collector scrape interval (default 50)
          --ours-profile FILE     the profile the ours strategies run (default deploy/examples/picker-profile.yaml),
                                  to measure a variant without editing the committed one
          --out PREFIX            write PREFIX.json, PREFIX.md and PREFIX-<workload>-{ttft,throughput}.png
          --source TEXT           what the tree was built from (the script fills it in)
        """;

    public bool Quick { get; init; }

    public IReadOnlyList<WorkloadKind> Workloads { get; init; } = [];

    public IReadOnlyList<string> Strategies { get; init; } = Strategy.Names;

    public int Instances { get; init; } = 8;

    public string Preset { get; init; } = "llama-3.1-8b-h100";

    public IReadOnlyList<double> Rates { get; init; } = [];

    public double StepSeconds { get; init; } = 20;

    public double DrainSeconds { get; init; } = 20;

    public double SaturationSeconds { get; init; } = 180;

    public double Speedup { get; init; } = 1;

    public double Capacity { get; init; }

    public int Seed { get; init; } = 42;

    public int ScrapeIntervalMs { get; init; } = 50;

    public string? OutPrefix { get; init; }

    public string? OursProfile { get; init; }

    public string? Source { get; init; }

    /// <summary>The QPS steps of a workload's ramp (the mixed-priority workload is one step at twice capacity, set by the caller).</summary>
    public IReadOnlyList<RampStep> Ramp(WorkloadKind workload)
    {
        if (Rates.Count > 0)
        {
            return [.. Rates.Select(rate => new RampStep(rate, StepSeconds))];
        }

        // Chosen around each workload's knee on 8 pods: chat saturates near 30 req/s with 8-sequence batches;
        // shared-prefix near 40 req/s when prefixes are recomputed, far higher when they are reused.
        double[] rates = workload switch
        {
            WorkloadKind.SharedPrefix => Quick ? [20, 45, 70] : [10, 20, 30, 40, 50, 60, 70, 80],
            _ => Quick ? [12, 24, 36] : [6, 12, 18, 24, 30, 36, 42],
        };
        var scale = Instances / 8.0;
        return [.. rates.Select(rate => new RampStep(rate * scale, StepSeconds))];
    }

    public static RoutingOptions Parse(string[] args)
    {
        var quick = args.Contains("--quick");
        var options = new RoutingOptions
        {
            Quick = quick,
            StepSeconds = quick ? 6 : 15,
            DrainSeconds = quick ? 6 : 15,
            SaturationSeconds = quick ? 0 : 180,
            Strategies = quick ? ["round-robin", "reference-default", Strategy.Ours, Strategy.OursTwoReplicas] : Strategy.Names,
            Workloads = quick
                ? [WorkloadKind.Chat, WorkloadKind.SharedPrefix, WorkloadKind.MultiLora]
                : [WorkloadKind.Chat, WorkloadKind.SharedPrefix, WorkloadKind.MultiLora, WorkloadKind.MixedPriority],
        };
        for (var i = 0; i < args.Length; i++)
        {
            var flag = args[i];
            if (flag == "--quick")
            {
                continue;
            }

            var value = i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{flag} needs a value.");
            options = flag switch
            {
                "--workloads" => options with { Workloads = [.. List(value).Select(Workload)] },
                "--strategies" => options with { Strategies = [.. List(value).Select(name => Strategy.Names.Contains(name) ? name : throw new ArgumentException($"--strategies: no strategy '{name}'; choose from {string.Join(", ", Strategy.Names)}."))] },
                "--instances" => options with { Instances = Integer(flag, value, 2, 16) },
                "--preset" => options with { Preset = value },
                "--rates" => options with { Rates = [.. List(value).Select(rate => Number(flag, rate, 0.1, 100_000))] },
                "--step-seconds" => options with { StepSeconds = Number(flag, value, 1, 3600) },
                "--saturation-seconds" => options with { SaturationSeconds = Number(flag, value, 0, 3600) },
                "--drain-seconds" => options with { DrainSeconds = Number(flag, value, 0, 3600) },
                "--speedup" => options with { Speedup = Number(flag, value, 0.01, 100) },
                "--capacity" => options with { Capacity = Number(flag, value, 0.1, 100_000) },
                "--seed" => options with { Seed = Integer(flag, value, 0, int.MaxValue) },
                "--scrape-interval-ms" => options with { ScrapeIntervalMs = Integer(flag, value, 10, 10_000) },
                "--out" => options with { OutPrefix = value },
                "--ours-profile" => options with { OursProfile = File.Exists(value) ? value : throw new ArgumentException($"--ours-profile: no file {value}.") },
                "--source" => options with { Source = value },
                _ => throw new ArgumentException($"Unknown flag {flag}."),
            };
        }

        return options;
    }

    private static string[] List(string value) => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static WorkloadKind Workload(string name) => name switch
    {
        "chat" => WorkloadKind.Chat,
        "chat-saturation" => throw new ArgumentException("--workloads: chat-saturation runs after chat by itself (--saturation-seconds sets its length, 0 skips it)."),
        "shared-prefix" => WorkloadKind.SharedPrefix,
        "multi-lora" => WorkloadKind.MultiLora,
        "mixed-priority" => WorkloadKind.MixedPriority,
        _ => throw new ArgumentException($"--workloads: no workload '{name}'; choose from chat, shared-prefix, multi-lora, mixed-priority."),
    };

    private static int Integer(string flag, string value, int min, int max) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) && parsed >= min && parsed <= max
            ? parsed
            : throw new ArgumentException($"{flag} must be an integer from {min} to {max}, not '{value}'.");

    private static double Number(string flag, string value, double min, double max) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && parsed >= min && parsed <= max
            ? parsed
            : throw new ArgumentException($"{flag} must be a number from {min} to {max}, not '{value}'.");
}
