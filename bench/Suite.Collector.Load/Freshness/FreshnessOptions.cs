namespace Suite.Collector.Load.Freshness;

/// <summary>Settings of the <c>freshness</c> mode.</summary>
/// <param name="Wait">
/// How the sampler waits for the picker to see a change: <c>spin</c> polls the pool store without sleeping (the most
/// exact stamp, at the price of a core kept busy), <c>bus</c> sleeps until the bus has delivered a snapshot to the picker.
/// </param>
internal sealed record FreshnessOptions(
    int Pods, int Samples, int WarmupSamples, TimeSpan ScrapeInterval, TimeSpan MaxGap, int Port, int Seed, string Wait, string? Out)
{
    public static FreshnessOptions Parse(Flags flags)
    {
        var intervalMs = flags.Number("--interval-ms", 50, 10, 60_000);
        var wait = flags.Text("--wait", "spin");
        if (wait is not ("spin" or "bus"))
        {
            throw new ArgumentException($"--wait is spin or bus, not '{wait}'.");
        }

        var options = new FreshnessOptions(
            flags.Integer("--pods", 10, 1, 250),
            flags.Integer("--samples", 300, 1, 1_000_000),
            flags.Integer("--warmup-samples", 20, 0, 10_000),
            TimeSpan.FromMilliseconds(intervalMs),
            TimeSpan.FromMilliseconds(flags.Number("--max-gap-ms", 2 * intervalMs, 0, 600_000)),
            flags.Integer("--port", 0, 0, 65535),
            flags.Integer("--seed", 1, int.MinValue, int.MaxValue),
            wait,
            flags.Text("--out"));
        flags.RejectUnread();
        return options;
    }
}
