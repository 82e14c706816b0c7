namespace Suite.ModelSim.Load;

/// <summary>Nearest-rank percentiles of one series (every sample, no binning).</summary>
internal sealed record Percentiles(double P50, double P90, double P99, double Max)
{
    public static Percentiles Of(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0
            ? new Percentiles(0, 0, 0, 0)
            : new Percentiles(Rank(sorted, 0.50), Rank(sorted, 0.90), Rank(sorted, 0.99), sorted[^1]);
    }

    private static double Rank(double[] sorted, double quantile) =>
        Math.Round(sorted[Math.Clamp((int)Math.Ceiling(quantile * sorted.Length) - 1, 0, sorted.Length - 1)], 3);
}
