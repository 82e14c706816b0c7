using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters.Json;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

namespace Suite.Picker.Benchmarks;

/// <summary>
/// Micro-costs of the picker's hot path. Arguments are BenchmarkDotNet's (<c>--filter</c>, <c>--job short</c>,
/// <c>--artifacts</c>, ...); without a filter every benchmark runs. Reports (GitHub markdown, full JSON, CSV, HTML)
/// go to bench/results/benchmarkdotnet/results/ unless <c>--artifacts</c> says otherwise.
/// </summary>
public static class BenchmarkProgram
{
    public static int Main(string[] args)
    {
        if (!args.Contains("--filter") && !args.Contains("-f") && !args.Contains("--list"))
        {
            args = [.. args, "--filter", "*"];
        }

        IConfig config = DefaultConfig.Instance
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddExporter(JsonExporter.Full)
            .WithArtifactsPath(Path.Combine(BenchDirectory(), "results", "benchmarkdotnet"));
        if (!args.Contains("--job") && !args.Contains("-j"))
        {
            // Fixed counts instead of BenchmarkDotNet's open-ended adaptive run: every figure here is micro- or
            // milliseconds, 15 half-second iterations pin the mean well, and the whole suite stays near 3 minutes.
            config = config.AddJob(Job.Default.WithWarmupCount(5).WithIterationCount(15).WithId("Fixed15"));
        }

        var summaries = BenchmarkSwitcher.FromAssembly(typeof(BenchmarkProgram).Assembly).Run(args, config);
        var failed = summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success));
        return failed ? 1 : 0;
    }

    /// <summary>The repository's bench/ folder, found from the working directory or the binary's location.</summary>
    private static string BenchDirectory()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "Suite.sln")))
                {
                    return Path.Combine(directory.FullName, "bench");
                }
            }
        }

        return Path.Combine(Environment.CurrentDirectory, "bench");
    }
}
