namespace Suite.Collector.Load.Cost;

/// <summary>Settings of the <c>cost</c> mode: which running processes to measure, how long, and the traffic.</summary>
internal sealed record CostOptions(
    int CollectorPid,
    int SimulatorPid,
    int FleetPort,
    int Instances,
    Uri CollectorUrl,
    IReadOnlyList<string> Phases,
    TimeSpan Warmup,
    TimeSpan Window,
    double LoadRate,
    int MaxTokens,
    string Model,
    int MaxInFlight,
    double TargetCores,
    double IntervalMs,
    string? Out)
{
    public static CostOptions Parse(Flags flags)
    {
        var phases = flags.Text("--phases", "idle,load").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (phases.Length == 0 || phases.Any(phase => phase is not ("idle" or "load")))
        {
            throw new ArgumentException("--phases is a list of idle and load, e.g. idle,load.");
        }

        var url = flags.Text("--collector-url", "http://127.0.0.1:9190");
        var options = new CostOptions(
            flags.RequiredInteger("--collector-pid", 1, int.MaxValue),
            flags.RequiredInteger("--sim-pid", 1, int.MaxValue),
            flags.RequiredInteger("--port", 1, 65535),
            flags.Integer("--instances", 100, 1, 250),
            Uri.TryCreate(url, UriKind.Absolute, out var collectorUrl) ? collectorUrl : throw new ArgumentException($"--collector-url '{url}' is not an absolute URL."),
            phases,
            TimeSpan.FromSeconds(flags.Number("--warmup", 10, 0, 600)),
            TimeSpan.FromSeconds(flags.Number("--seconds", 60, 1, 3600)),
            flags.Number("--load-rate", 200, 1, 100_000),
            flags.Integer("--max-tokens", 64, 1, 4000),
            flags.Text("--model", "sim/tiny"),
            flags.Integer("--max-in-flight", 2000, 1, 1_000_000),
            flags.Number("--target-cores", 0.5, 0, 64),
            flags.Number("--interval-ms", 50, 1, 60_000),
            flags.Text("--out"));
        flags.RejectUnread();
        return options;
    }
}
