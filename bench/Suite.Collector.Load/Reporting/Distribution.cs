namespace Suite.Collector.Load.Reporting;

/// <summary>Exact order statistics of every sample kept (nearest rank), in the samples' unit.</summary>
internal sealed record Distribution(int Count, double Min, double P50, double P90, double P99, double Max, double Mean)
{
    public static Distribution? Of(IEnumerable<double> samples)
    {
        var sorted = samples.Order().ToArray();
        if (sorted.Length == 0)
        {
            return null;
        }

        return new Distribution(
            sorted.Length,
            Round(sorted[0]),
            Round(Rank(sorted, 0.50)),
            Round(Rank(sorted, 0.90)),
            Round(Rank(sorted, 0.99)),
            Round(sorted[^1]),
            Round(sorted.Average()));
    }

    public override string ToString() =>
        $"p50 {P50:0.00}, p90 {P90:0.00}, p99 {P99:0.00}, max {Max:0.00}, mean {Mean:0.00}, min {Min:0.00} (n={Count})";

    private static double Rank(double[] sorted, double quantile) =>
        sorted[Math.Clamp((int)Math.Ceiling(quantile * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static double Round(double value) => Math.Round(value, 3);
}
