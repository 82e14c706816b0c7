using System.Diagnostics;

namespace Suite.Picker.LoadTest;

/// <summary>Percentiles of one latency series, in milliseconds (nearest-rank over every sample, no binning).</summary>
internal sealed record LatencySummary(int Count, double P50, double P90, double P99, double P999, double Max, double Mean)
{
    public static LatencySummary Of(List<long> stopwatchTicks) => OfInPlace(stopwatchTicks.ToArray());

    /// <summary>Sorts <paramref name="stopwatchTicks"/> itself, so a caller can reuse one buffer for every interval.</summary>
    public static LatencySummary OfInPlace(Span<long> stopwatchTicks)
    {
        if (stopwatchTicks.IsEmpty)
        {
            return new LatencySummary(0, 0, 0, 0, 0, 0, 0);
        }

        stopwatchTicks.Sort();
        ReadOnlySpan<long> sorted = stopwatchTicks;
        double sum = 0;
        foreach (var ticks in sorted)
        {
            sum += ticks;
        }

        return new LatencySummary(
            sorted.Length,
            Milliseconds(Rank(sorted, 0.50)),
            Milliseconds(Rank(sorted, 0.90)),
            Milliseconds(Rank(sorted, 0.99)),
            Milliseconds(Rank(sorted, 0.999)),
            Milliseconds(sorted[^1]),
            Math.Round(sum / sorted.Length * 1000.0 / Stopwatch.Frequency, 4));
    }

    public override string ToString() =>
        $"p50 {P50:0.000}  p90 {P90:0.000}  p99 {P99:0.000}  p99.9 {P999:0.000}  max {Max:0.000}  mean {Mean:0.000}";

    private static long Rank(ReadOnlySpan<long> sorted, double quantile) =>
        sorted[Math.Clamp((int)Math.Ceiling(quantile * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static double Milliseconds(long ticks) => Math.Round(ticks * 1000.0 / Stopwatch.Frequency, 4);
}
