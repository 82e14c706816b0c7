using System.Globalization;
using Suite.Queue.Overload.Runs;

namespace Suite.Queue.Overload;

/// <summary>The run's settings, from <c>--name value</c> flags (and <c>--quick</c>, which takes none).</summary>
internal sealed record OverloadOptions
{
    public const string Usage = """
        Suite.Queue.Overload — Critical and Sheddable traffic at a multiple of a simulated fleet's capacity, through
        the picker with and without the queue service. Everything runs in this process: model-sim pods, the
        metrics-collector, the catalog, the queue and one picker per arm, sharing an in-memory bus and state store.

          --arms LIST            arms in the order run (default queue,no-queue,no-flow-control,queue-every-request;
                                 with --quick queue,no-queue,no-flow-control)
          --instances N          simulated pods (default 4)
          --preset NAME          model-sim engine preset (default llama-3.1-8b-h100)
          --max-num-seqs N       running-batch limit per pod, as vLLM's --max-num-seqs; 0 keeps the preset's (default 64)
          --prompt-tokens N      prompt length, about 4 characters per token (default 1000)
          --output-tokens N      mean output tokens per request, exact with ignore_eos (default 200)
          --output-spread F      output lengths uniform over mean × (1 ± F), seeded per request; 0 fixes them (default 0.5)
          --capacity R           the fleet's capacity in requests/s; 0 measures it closed-loop first (default 0)
          --capacity-seconds S   the capacity probe's measured window (default 20)
          --load-factor F        offered load as a multiple of the capacity (default 2)
          --critical-share F     share of Critical requests, the rest Sheddable (default 0.5)
          --duration S           seconds of arrivals per arm (default 60)
          --drain-timeout S      after the arrivals, how long unfinished requests get before they are cancelled (default 150)
          --ttft-slo-ms MS       TTFT bound for goodput (default 1000)
          --seed N               arrival times and classes, the same in every arm (default 42)
          --scrape-interval-ms MS the collector's scrape interval (default 50)
          --out PREFIX           writes PREFIX.json and PREFIX.txt (default: print only)
          --source TEXT          what was built (commit, uncommitted changes), recorded in the results
          --quick                10-second arms, a 5-second capacity window, a 60-second drain limit, the first three arms
        """;

    public IReadOnlyList<ArmKind> Arms { get; init; } = [ArmKind.Queue, ArmKind.NoQueue, ArmKind.NoFlowControl, ArmKind.QueueEveryRequest];

    public int Instances { get; init; } = 4;

    public string Preset { get; init; } = "llama-3.1-8b-h100";

    public int MaxNumSeqs { get; init; } = 64;

    public int PromptTokens { get; init; } = 1000;

    public int OutputTokens { get; init; } = 200;

    public double OutputSpread { get; init; } = 0.5;

    public double Capacity { get; init; }

    public double CapacitySeconds { get; init; } = 20;

    public double LoadFactor { get; init; } = 2;

    public double CriticalShare { get; init; } = 0.5;

    public double DurationSeconds { get; init; } = 60;

    public double DrainTimeoutSeconds { get; init; } = 150;

    public double TtftSloMs { get; init; } = 1000;

    public int Seed { get; init; } = 42;

    public int ScrapeIntervalMs { get; init; } = 50;

    public string? OutPrefix { get; init; }

    public string? Source { get; init; }

    public bool Quick { get; init; }

    public static OverloadOptions Parse(string[] args)
    {
        var flags = new Dictionary<string, string>(StringComparer.Ordinal);
        var quick = false;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--quick")
            {
                quick = true;
                continue;
            }

            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"Expected '--flag value' pairs or --quick, found '{args[i]}'.");
            }

            if (!flags.TryAdd(args[i], args[i + 1]))
            {
                throw new ArgumentException($"{args[i]} is given twice.");
            }

            i++;
        }

        var defaults = quick ? new OverloadOptions
            {
                Arms = [ArmKind.Queue, ArmKind.NoQueue, ArmKind.NoFlowControl],
                DurationSeconds = 10,
                CapacitySeconds = 5,
                DrainTimeoutSeconds = 60,
            } : new OverloadOptions();
        var reader = new FlagReader(flags);
        var options = new OverloadOptions
        {
            Arms = reader.Text("--arms") is { } arms ? ParseArms(arms) : defaults.Arms,
            Instances = reader.Integer("--instances", defaults.Instances, 1, 250),
            Preset = reader.Text("--preset") ?? defaults.Preset,
            MaxNumSeqs = reader.Integer("--max-num-seqs", defaults.MaxNumSeqs, 0, 4096),
            PromptTokens = reader.Integer("--prompt-tokens", defaults.PromptTokens, 16, 100_000),
            OutputTokens = reader.Integer("--output-tokens", defaults.OutputTokens, 1, 10_000),
            OutputSpread = reader.Number("--output-spread", defaults.OutputSpread, 0, 0.99),
            Capacity = reader.Number("--capacity", defaults.Capacity, 0, 100_000),
            CapacitySeconds = reader.Number("--capacity-seconds", defaults.CapacitySeconds, 1, 600),
            LoadFactor = reader.Number("--load-factor", defaults.LoadFactor, 0.01, 100),
            CriticalShare = reader.Number("--critical-share", defaults.CriticalShare, 0, 1),
            DurationSeconds = reader.Number("--duration", defaults.DurationSeconds, 1, 3600),
            DrainTimeoutSeconds = reader.Number("--drain-timeout", defaults.DrainTimeoutSeconds, 1, 3600),
            TtftSloMs = reader.Number("--ttft-slo-ms", defaults.TtftSloMs, 1, 600_000),
            Seed = reader.Integer("--seed", defaults.Seed, 0, int.MaxValue),
            ScrapeIntervalMs = reader.Integer("--scrape-interval-ms", defaults.ScrapeIntervalMs, 10, 10_000),
            OutPrefix = reader.Text("--out"),
            Source = reader.Text("--source"),
            Quick = quick,
        };
        reader.RejectUnread();
        return options;
    }

    private static ArmKind[] ParseArms(string list)
    {
        var arms = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(name => ArmDefinition.ByName(name) ?? throw new ArgumentException(
                $"--arms: '{name}' is not an arm; choose from {string.Join(", ", ArmDefinition.All.Select(arm => arm.Name))}."))
            .ToArray();
        if (arms.Length == 0 || arms.Distinct().Count() != arms.Length)
        {
            throw new ArgumentException("--arms must name at least one arm, each once.");
        }

        return arms;
    }

    /// <summary>Reads flags by name and remembers which were read, so a misspelt flag is an error rather than ignored.</summary>
    private sealed class FlagReader(Dictionary<string, string> flags)
    {
        private readonly HashSet<string> _read = new(StringComparer.Ordinal);

        public string? Text(string name)
        {
            _read.Add(name);
            return flags.GetValueOrDefault(name);
        }

        public int Integer(string name, int fallback, int min, int max) => Text(name) switch
        {
            null => fallback,
            var text when int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max => value,
            var text => throw new ArgumentException($"{name} must be a whole number from {min} to {max}, not '{text}'."),
        };

        public double Number(string name, double fallback, double min, double max) => Text(name) switch
        {
            null => fallback,
            var text when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max => value,
            var text => throw new ArgumentException($"{name} must be a number from {min} to {max}, not '{text}'."),
        };

        public void RejectUnread()
        {
            var unknown = flags.Keys.Where(name => !_read.Contains(name)).ToArray();
            if (unknown.Length > 0)
            {
                throw new ArgumentException($"Unknown flag(s): {string.Join(", ", unknown)}.");
            }
        }
    }
}
