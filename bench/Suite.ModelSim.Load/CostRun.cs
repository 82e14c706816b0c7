using System.Globalization;

namespace Suite.ModelSim.Load;

/// <summary>
/// The <c>cost</c> mode: starts a simulator fleet as a child process, keeps a fixed number of streams open across
/// its instances (closed loop: a finished stream is replaced at once), and measures over a window what that costs the
/// machine: the simulator's CPU and memory, this program's CPU, and the tokens streamed for it.
/// </summary>
internal static class CostRun
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan WarmupLimit = TimeSpan.FromSeconds(120);

    public static async Task<int> RunAsync(CostOptions options, string command, CancellationToken stopping)
    {
        var startedAt = DateTimeOffset.UtcNow;
        Console.WriteLine(
            $"cost: {options.Instances} × {options.Preset} instances in one simulator process (ports {options.Port}-{options.Port + options.Instances - 1}), "
            + $"{options.Streams} streams round-robin over them, prompts {options.PromptTokens} tokens (unique), {options.OutputTokens} output tokens (ignore_eos), "
            + $"a warm-up of at least {options.WarmupSeconds:0.#} s and until every stream finished two requests, then {options.Seconds:0.#} s measured, {Environment.ProcessorCount} cores shared with the simulator");

        using var simulator = await SimulatorProcess.StartAsync(
            options.SimulatorDll, options.Preset, options.Instances, options.Port, StartLimit, stopping);
        var instances = simulator.Instances;
        Console.WriteLine($"simulator pid {simulator.Pid}: {simulator.Command}");
        Console.WriteLine($"  {instances.Count} instances, {instances[0].Name} {instances[0].Address} … {instances[^1].Name} {instances[^1].Address}, model {instances[0].Model}");

        var targets = instances.Select(i => new Uri(i.Address, "/v1/completions")).ToList();
        using var http = LoadHttpClient.Create(streamsPerServer: (options.Streams + targets.Count - 1) / targets.Count);
        var streamer = new CompletionStreamer(http);
        if (await Preflight.FailureAsync(streamer, targets, instances[0].Model, stopping) is { } failure)
        {
            Console.Error.WriteLine($"preflight request failed: {failure}");
            return 1;
        }

        var bodies = new CompletionBodies(instances[0].Model, options.PromptTokens);
        LoadWindow window;
        CpuCores cores;
        double? rss, peakRss;
        double warmedUp;
        await using (var load = ClosedLoopLoad.Start(streamer, targets, bodies, options.OutputTokens, options.Streams))
        {
            warmedUp = await load.WarmUpAsync(TimeSpan.FromSeconds(options.WarmupSeconds), WarmupLimit, stopping);
            load.OpenWindow();
            var cpu = CpuMeter.Start(simulator.Pid);
            await Task.Delay(TimeSpan.FromSeconds(options.Seconds), stopping);
            cores = cpu.Stop();
            rss = LinuxProc.MemoryMiB(simulator.Pid, "VmRSS");
            peakRss = LinuxProc.MemoryMiB(simulator.Pid, "VmHWM");
            window = await load.CloseWindowAsync();
        }

        var stopped = simulator.Stop();
        var requests = RequestStats.Of(window);
        double? perThousand = cores.Simulator is { } simCores && requests.StreamedTokensPerSecond > 0
            ? Math.Round(simCores / (requests.StreamedTokensPerSecond / 1000), 4)
            : null;
        var report = new CostReport(
            command, startedAt, MachineInfo.Current, simulator.Command, options.Preset, instances.Count, instances[0].Model, options.Streams,
            options.PromptTokens, options.OutputTokens, warmedUp, requests, cores, perThousand, rss, peakRss, stopped);
        Print(report);
        if (options.Out is { } path)
        {
            ReportJson.Write(path, report, ReportJsonContext.Default.CostReport);
        }

        return requests.Errors == 0 ? 0 : 1;
    }

    private static void Print(CostReport report)
    {
        var r = report.Requests;
        var c = report.Cpu;
        Console.WriteLine($"warm-up {report.WarmupSeconds:0.0} s, window {r.Seconds:0.0} s: {r.Completed:N0} requests completed ({r.RequestsPerSecond:0.0}/s), {r.Errors} errors");
        foreach (var (kind, count) in r.ErrorKinds)
        {
            Console.WriteLine($"  error {count} × {kind}");
        }

        Console.WriteLine(
            $"tokens streamed {r.StreamedTokensPerSecond:N0}/s (completion_tokens of completed requests {r.OutputTokensPerSecond:N0}/s); prompt tokens {r.PromptTokens:N0}, of them cached {r.CachedPromptTokens:N0}");
        Console.WriteLine(
            $"TTFT ms p50 {r.TimeToFirstTokenMs.P50:0.0}, p90 {r.TimeToFirstTokenMs.P90:0.0}, p99 {r.TimeToFirstTokenMs.P99:0.0}, max {r.TimeToFirstTokenMs.Max:0.0}; "
            + $"mean time per output token {r.MeanTimePerOutputTokenMs:0.00} ms; mean end-to-end {r.MeanEndToEndMs:N0} ms");
        Console.WriteLine(
            $"CPU cores: simulator {Cores(c.Simulator)}, load program {c.LoadProgram:0.00}, whole machine {Cores(c.MachineBusy)} of {c.MachineCores}");
        Console.WriteLine($"simulator CPU per 1,000 tokens/s streamed: {Cores(report.SimulatorCoresPerThousandTokensPerSecond, "0.000")} cores");
        Console.WriteLine($"simulator memory: RSS {Mib(report.SimulatorRssMiB)}, peak {Mib(report.SimulatorPeakRssMiB)}");
        Console.WriteLine($"simulator stopped: {report.SimulatorStopped}");
    }

    private static string Cores(double? cores, string format = "0.00") => cores?.ToString(format, CultureInfo.InvariantCulture) ?? "n/a";

    private static string Mib(double? mib) => mib is { } value ? value.ToString("0.0", CultureInfo.InvariantCulture) + " MiB" : "n/a";
}
