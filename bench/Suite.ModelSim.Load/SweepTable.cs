using System.Globalization;
using System.Text;

namespace Suite.ModelSim.Load;

/// <summary>The sweep as a markdown table, one row per concurrency level.</summary>
internal static class SweepTable
{
    public static string Format(IEnumerable<SweepLevel> levels)
    {
        var table = new StringBuilder();
        table.AppendLine("| concurrency | requests | errors | output tok/s | req/s | TTFT p50 ms | TTFT p90 ms | TTFT p99 ms | TPOT mean ms | KV cache mean / max | running mean / max | waiting mean / max | CPU cores sim / load / machine |");
        table.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var level in levels)
        {
            var r = level.Requests;
            var e = level.Engine;
            var c = level.Cpu;
            table.AppendLine(CultureInfo.InvariantCulture, $"| {level.Concurrency} | {r.Completed} | {r.Errors} | {r.OutputTokensPerSecond:0} | {r.RequestsPerSecond:0.00} "
                + $"| {r.TimeToFirstTokenMs.P50:0.0} | {r.TimeToFirstTokenMs.P90:0.0} | {r.TimeToFirstTokenMs.P99:0.0} | {r.MeanTimePerOutputTokenMs:0.00} "
                + $"| {e.KvCacheUsage.Mean:0.0%} / {e.KvCacheUsage.Max:0.0%} | {e.Running.Mean:0.0} / {e.Running.Max:0} | {e.Waiting.Mean:0.0} / {e.Waiting.Max:0} "
                + $"| {Cores(c.Simulator)} / {Cores(c.LoadProgram)} / {Cores(c.MachineBusy)} of {c.MachineCores} |");
        }

        return table.ToString();
    }

    private static string Cores(double? cores) => cores is { } value ? value.ToString("0.00", CultureInfo.InvariantCulture) : "n/a";
}
