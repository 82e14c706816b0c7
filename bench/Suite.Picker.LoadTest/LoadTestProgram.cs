using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Suite.Bench;

namespace Suite.Picker.LoadTest;

public static class LoadTestProgram
{
    private const double SustainedShare = 0.97;

    public static int Main(string[] args)
    {
        LoadTestOptions options;
        try
        {
            options = LoadTestOptions.Parse(args);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine(LoadTestOptions.Usage);
            return 2;
        }

        var command = "Suite.Picker.LoadTest " + string.Join(' ', args.Select(Quote));
        if (options.WritePool is { } pool)
        {
            PoolFileWriter.Write(pool.Endpoints, pool.Path, command);
            Console.WriteLine($"wrote {pool.Endpoints} endpoints to {pool.Path}");
            return 0;
        }

        if (options.WriteH2LoadData is { } dataPath)
        {
            var body = ChatRequestBodies.Create(options.PromptBytes, SyntheticFleet.RequestedModels[^1], seed: 1);
            H2LoadData.Write(body, dataPath);
            Console.WriteLine($"wrote one exchange ({body.Length} B body) to {dataPath}");
            return 0;
        }

        return Run(options, command);
    }

    private static int Run(LoadTestOptions options, string command)
    {
        var models = SyntheticFleet.RequestedModels;
        var bodies = new byte[models.Length][];
        for (var i = 0; i < models.Length; i++)
        {
            bodies[i] = ChatRequestBodies.Create(options.PromptBytes, models[i], seed: i + 1);
        }

        Console.WriteLine($"# command: {command}");
        Console.WriteLine(
            $"picker {options.Target}, {options.Connections} HTTP/2 connections, prompt {options.PromptBytes} B "
            + $"(bodies {bodies.Min(b => b.Length)}-{bodies.Max(b => b.Length)} B, models rotate over {models.Length}), "
            + $"{Environment.ProcessorCount} cores shared by the picker and this generator");

        using var envoy = new EnvoyEmulator(
            options.Target, options.Connections, bodies, options.BodyChunkBytes, TimeSpan.FromSeconds(options.TimeoutSeconds));
        if (!Preflight(envoy, options.Connections))
        {
            return 1;
        }

        var runs = new List<RunReport>();
        FindMaxReport? findMax = null;
        var firstRate = options.FindMax ? options.StartRate : options.Rate;
        if (options.WarmupSeconds > 0)
        {
            var warmup = OpenLoopRun.Execute(envoy, "warm-up", firstRate, TimeSpan.FromSeconds(options.WarmupSeconds), options);
            Console.WriteLine($"warm-up {firstRate:0} req/s for {options.WarmupSeconds:0.#} s: {warmup.Succeeded} ok, {warmup.Errors} errors (discarded)");
        }

        if (options.FindMax)
        {
            findMax = FindMax(envoy, options, runs);
        }
        else
        {
            var run = OpenLoopRun.Execute(
                envoy, "measure", options.Rate, TimeSpan.FromSeconds(options.DurationSeconds), options, reportIntervals: true);
            runs.Add(run);
            Print(run);
            if (run.Drift is { } drift)
            {
                Console.WriteLine(drift);
            }
        }

        var report = new LoadTestReport(
            command,
            DateTimeOffset.UtcNow,
            new MachineReport(Environment.ProcessorCount, RuntimeInformation.OSDescription, RuntimeInformation.FrameworkDescription),
            options.Target.ToString(),
            options.Connections,
            options.PromptBytes,
            [.. bodies.Select(b => b.Length)],
            options.BodyChunkBytes,
            models,
            options.WarmupSeconds,
            options.ReportEverySeconds > 0 ? options.ReportEverySeconds : null,
            options.PickerMetrics?.ToString(),
            options.PickerMetrics is null ? null : options.PickerSeries.ToDictionary(),
            runs,
            findMax);
        if (options.Out is { } path)
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(path));
            if (directory is not null)
            {
                Directory.CreateDirectory(directory);
            }

            File.WriteAllText(path, JsonSerializer.Serialize(report, LoadTestJsonContext.Default.LoadTestReport));
            Console.WriteLine($"result written to {path}");
        }

        return runs.All(r => r.Errors == 0) || options.FindMax ? 0 : 1;
    }

    /// <summary>One exchange per connection, one after another: opens the connections and fails fast on a broken set-up.</summary>
    private static bool Preflight(EnvoyEmulator envoy, int connections)
    {
        for (var i = 0; i < connections; i++)
        {
            var timing = envoy.ExchangeAsync(i).GetAwaiter().GetResult();
            if (timing.Error is not null)
            {
                Console.Error.WriteLine($"preflight exchange failed: {timing.Error}");
                return false;
            }
        }

        return true;
    }

    private static FindMaxReport FindMax(EnvoyEmulator envoy, LoadTestOptions options, List<RunReport> runs)
    {
        var criterion = $"sustained = achieved ≥ {SustainedShare * 100:0}% of target, 0 errors, p99 decision latency "
            + $"(from scheduled start) ≤ {options.P99LimitMs.ToString(CultureInfo.InvariantCulture)} ms; "
            + $"steps of {options.StepDurationSeconds:0.#} s from {options.StartRate:0} req/s by {options.Step:0} up to {options.MaxRate:0}";
        Console.WriteLine($"find-max: {criterion}");
        double? best = null;
        string? stopped = null;
        for (var rate = options.StartRate; rate <= options.MaxRate; rate += options.Step)
        {
            var run = OpenLoopRun.Execute(envoy, "find-max step", rate, TimeSpan.FromSeconds(options.StepDurationSeconds), options);
            runs.Add(run);
            Print(run);
            var failure = run.Errors > 0 ? $"{run.Errors} errors"
                : run.AchievedRate < SustainedShare * rate ? $"achieved {run.AchievedRate:0} req/s < {SustainedShare * 100:0}% of {rate:0}"
                : run.DecisionFromScheduledMs.P99 > options.P99LimitMs ? $"p99 decision {run.DecisionFromScheduledMs.P99:0.###} ms > {options.P99LimitMs} ms"
                : null;
            if (failure is not null)
            {
                stopped = $"{rate:0} req/s not sustained: {failure}";
                Console.WriteLine($"  -> {stopped}");
                break;
            }

            best = rate;
            Console.WriteLine($"  -> {rate:0} req/s sustained");
            Thread.Sleep(1000);
        }

        stopped ??= $"reached --max-rate {options.MaxRate:0}";
        Console.WriteLine(best is null
            ? $"highest sustained rate: none (the first step, {options.StartRate:0} req/s, failed)"
            : $"highest sustained rate: {best:0} req/s ({stopped})");
        return new FindMaxReport(criterion, best, stopped);
    }

    private static void Print(RunReport run)
    {
        Console.WriteLine(
            $"{run.Phase}: target {run.TargetRate:0} req/s for {run.DurationSeconds:0.#} s — {run.Scheduled} scheduled, "
            + $"{run.Succeeded} ok, {run.Errors} errors, achieved {run.AchievedRate:0.0} req/s");
        foreach (var (kind, count) in run.ErrorKinds)
        {
            Console.WriteLine($"  error {count} × {kind}");
        }

        Console.WriteLine($"  decision latency ms, from scheduled start: {run.DecisionFromScheduledMs}");
        Console.WriteLine($"  decision latency ms, from send:            {run.DecisionFromSendMs}");
        Console.WriteLine($"  full exchange ms, from scheduled start:    {run.ExchangeFromScheduledMs}");
        Console.WriteLine($"  generator lag ms (send - schedule):        {run.GeneratorLagMs}");
        Console.WriteLine(
            $"  CPU (cores): picker {(run.PickerCpuCores is { } cores ? cores.ToString("0.00", CultureInfo.InvariantCulture) : "n/a (no --picker-pid)")}, "
            + $"load generator {run.GeneratorCpuCores:0.00}, whole machine {(run.MachineBusyCores is { } busy ? busy.ToString("0.00", CultureInfo.InvariantCulture) : "n/a")} of {Environment.ProcessorCount}");
    }

    private static string Quote(string arg) =>
        arg.Length > 0 && arg.All(c => char.IsLetterOrDigit(c) || "-_./:=,".Contains(c)) ? arg : $"'{arg.Replace("'", "'\\''")}'";
}
