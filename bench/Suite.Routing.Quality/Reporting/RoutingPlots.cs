using ScottPlot;
using Suite.Routing.Quality.Runs;

namespace Suite.Routing.Quality.Reporting;

/// <summary>PNG plots per ramp workload (ScottPlot, SkiaSharp): TTFT p90 vs offered QPS and output throughput vs offered QPS, one line per strategy.</summary>
internal static class RoutingPlots
{
    public static IReadOnlyList<string> Write(string prefix, IReadOnlyList<StrategyRun> runs)
    {
        var written = new List<string>();
        foreach (var group in runs.GroupBy(run => run.Workload.Kind))
        {
            var available = group.Where(run => run.Unavailable is null && run.Steps.Length > 1).ToArray();
            if (available.Length == 0)
            {
                continue;
            }

            var name = group.First().Workload.Name;
            written.Add(Plot(prefix, name, "ttft-p90", $"{name}: TTFT p90 vs offered load", "TTFT p90 (s)", available, step => (step.All.Ttft?.P90 ?? double.NaN) / 1000));
            written.Add(Plot(prefix, name, "throughput", $"{name}: output throughput vs offered load", "output tokens/s delivered during the step", available, step => step.All.DeliveredTokensPerSecond));
        }

        return written;
    }

    private static string Plot(string prefix, string workload, string figure, string title, string yLabel, StrategyRun[] runs, Func<StepResult, double> value)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        for (var i = 0; i < runs.Length; i++)
        {
            var run = runs[i];
            var line = plot.Add.Scatter(run.Steps.Select(step => step.Rate).ToArray(), run.Steps.Select(value).ToArray());
            line.LegendText = run.Strategy.Name;
            line.Color = palette.GetColor(i);
            line.LineWidth = 2;
            line.MarkerSize = 7;
        }

        plot.Title(title);
        plot.XLabel("offered load (requests/s, Poisson)");
        plot.YLabel(yLabel);
        plot.ShowLegend(Alignment.UpperLeft);
        plot.Axes.Margins(bottom: 0);
        var path = $"{prefix}-{workload}-{figure}.png";
        plot.SavePng(path, 900, 560);
        return path;
    }
}
