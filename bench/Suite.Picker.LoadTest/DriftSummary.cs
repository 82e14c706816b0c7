using System.Globalization;
using System.Text;

namespace Suite.Picker.LoadTest;

/// <summary>How one memory series moved over the full intervals (MiB).</summary>
/// <param name="SlopeMibPerMinute">Least-squares slope of the samples against their time; null with fewer than two.</param>
internal sealed record MemoryDrift(string Series, double FirstMib, double LastMib, double? SlopeMibPerMinute);

/// <summary>
/// A soak's verdict in numbers: memory and decision latency at the first full interval against the last, and the
/// memory slope. The measured run starts after the warm-up, so every full interval counts; a shorter last one does not.
/// </summary>
internal sealed record DriftSummary(
    int FullIntervals,
    double IntervalSeconds,
    List<MemoryDrift> Memory,
    double P50FirstMs,
    double P50LastMs,
    double P99FirstMs,
    double P99LastMs,
    int Errors)
{
    public static DriftSummary? Of(List<IntervalReport> intervals, double intervalSeconds, IReadOnlyList<KeyValuePair<string, string>> series)
    {
        var full = new List<IntervalReport>(intervals.Count);
        var errors = 0;
        foreach (var interval in intervals)
        {
            errors += interval.Errors;

            // A hair short still counts: the run's length is a whole number of requests, not of seconds.
            if (interval.EndSeconds - interval.StartSeconds >= 0.99 * intervalSeconds)
            {
                full.Add(interval);
            }
        }

        if (full.Count == 0)
        {
            return null;
        }

        var memory = new List<MemoryDrift>();
        AddDrift(memory, "picker RSS", full, static i => i.PickerRssMib);
        foreach (var (label, name) in series)
        {
            if (IntervalReport.IsBytes(name))
            {
                AddDrift(memory, label, full, i => i.PickerSeries?.GetValueOrDefault(label) is { } bytes and > 0 ? bytes / IntervalReport.BytesPerMib : null);
            }
        }

        AddDrift(memory, "generator heap", full, static i => i.GeneratorHeapMib);
        var first = full[0].DecisionFromScheduledMs;
        var last = full[^1].DecisionFromScheduledMs;
        return new DriftSummary(full.Count, intervalSeconds, memory, first.P50, last.P50, first.P99, last.P99, errors);
    }

    public override string ToString()
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.Append(c, $"drift over {FullIntervals} full intervals of {IntervalSeconds:0.#} s (first → last; slope by least squares over all {FullIntervals}):");
        foreach (var m in Memory)
        {
            text.AppendLine().Append(c, $"  {m.Series + " MiB",-20} {m.FirstMib,9:0.0} → {m.LastMib,9:0.0}   slope ");
            text.Append(m.SlopeMibPerMinute is { } slope ? slope.ToString("+0.000;-0.000;0.000", c) + " MiB/min" : "n/a");
        }

        text.AppendLine().Append(c, $"  decision latency p50 ms {P50FirstMs:0.000} → {P50LastMs:0.000}, p99 ms {P99FirstMs:0.000} → {P99LastMs:0.000}");
        text.AppendLine().Append(c, $"  errors in the measured run: {Errors}");
        return text.ToString();
    }

    private static void AddDrift(List<MemoryDrift> memory, string name, List<IntervalReport> full, Func<IntervalReport, double?> mib)
    {
        var points = new List<(double Minutes, double Mib)>(full.Count);
        foreach (var interval in full)
        {
            if (mib(interval) is { } value)
            {
                points.Add((interval.SampledAtSeconds / 60, value));
            }
        }

        if (points.Count > 0)
        {
            memory.Add(new MemoryDrift(name, Math.Round(points[0].Mib, 3), Math.Round(points[^1].Mib, 3), Slope(points)));
        }
    }

    private static double? Slope(List<(double Minutes, double Mib)> points)
    {
        if (points.Count < 2)
        {
            return null;
        }

        double meanX = 0, meanY = 0;
        foreach (var (x, y) in points)
        {
            meanX += x / points.Count;
            meanY += y / points.Count;
        }

        double covariance = 0, variance = 0;
        foreach (var (x, y) in points)
        {
            covariance += (x - meanX) * (y - meanY);
            variance += (x - meanX) * (x - meanX);
        }

        return variance > 0 ? Math.Round(covariance / variance, 4) : null;
    }
}
