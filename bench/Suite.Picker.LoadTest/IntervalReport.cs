using System.Globalization;
using System.Text;

namespace Suite.Picker.LoadTest;

/// <summary>
/// One interval of a measured run. A request belongs to the interval of its scheduled start; memory and CPU are
/// sampled when the interval ends. Seconds count from the run's first scheduled start.
/// </summary>
/// <param name="AchievedRate">Successful exchanges / (last completion of the interval's requests − interval start).</param>
/// <param name="DecisionFromScheduledMs">Scheduled start → routing decision, for the interval's successful requests.</param>
/// <param name="PickerRssMib">The picker's VmRSS at the interval's end (MiB = 2^20 bytes).</param>
/// <param name="PickerCpuCores">Picker CPU time / wall time since the previous sample.</param>
/// <param name="PickerSeries">The scraped series by label, as the page gives them (bytes stay bytes).</param>
/// <param name="GeneratorHeapMib">This generator's managed heap after its last collection, to tell its drift from the picker's.</param>
internal sealed record IntervalReport(
    int Index,
    double StartSeconds,
    double EndSeconds,
    double SampledAtSeconds,
    int Scheduled,
    int Succeeded,
    int Errors,
    SortedDictionary<string, int> ErrorKinds,
    double AchievedRate,
    LatencySummary DecisionFromScheduledMs,
    double? PickerRssMib,
    double? PickerCpuCores,
    SortedDictionary<string, double>? PickerSeries,
    double GeneratorCpuCores,
    double GeneratorHeapMib)
{
    public const double BytesPerMib = 1024 * 1024;

    /// <summary>Series whose Prometheus name ends in <c>_bytes</c> are memory, shown and fitted in MiB.</summary>
    public static bool IsBytes(string seriesName) => seriesName.EndsWith("_bytes", StringComparison.Ordinal);

    /// <summary>One line for the console, then one line per error kind.</summary>
    public string ToText(IReadOnlyList<KeyValuePair<string, string>> series)
    {
        var c = CultureInfo.InvariantCulture;
        var d = DecisionFromScheduledMs;
        var text = new StringBuilder();
        text.Append(string.Create(c, $"{StartSeconds:0}-{EndSeconds:0.#} s").PadLeft(11));
        text.Append(c, $"  {Scheduled} scheduled, {Succeeded} ok, {Errors} errors, {AchievedRate:0.0} req/s");
        text.Append(c, $" | decision ms p50 {d.P50:0.000} p99 {d.P99:0.000} p99.9 {d.P999:0.000} max {d.Max:0.000}");
        text.Append(" | picker RSS ").Append(PickerRssMib is { } rss ? rss.ToString("0.0", c) + " MiB" : "n/a");
        foreach (var (label, name) in series)
        {
            text.Append(", ").Append(label).Append(' ');
            if (PickerSeries?.TryGetValue(label, out var value) != true)
            {
                text.Append("n/a");
            }
            else if (IsBytes(name))
            {
                text.Append((value / BytesPerMib).ToString("0.0", c)).Append(" MiB");
            }
            else
            {
                text.Append(value.ToString("G6", c));
            }
        }

        text.Append(", CPU ").Append(PickerCpuCores is { } cores ? cores.ToString("0.00", c) : "n/a");
        text.Append(c, $" | generator CPU {GeneratorCpuCores:0.00}, heap {GeneratorHeapMib:0.0} MiB");
        foreach (var (kind, count) in ErrorKinds)
        {
            text.AppendLine().Append(c, $"    error {count} × {kind}");
        }

        return text.ToString();
    }
}
