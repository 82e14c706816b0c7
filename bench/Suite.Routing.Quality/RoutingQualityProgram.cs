using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Suite.Routing.Quality.Embedded;
using Suite.Routing.Quality.Gateway;
using Suite.Routing.Quality.Reporting;
using Suite.Routing.Quality.Runs;
using Suite.Routing.Quality.Workload;

namespace Suite.Routing.Quality;

/// <summary>Entry point; not named Program, which every service and model-sim define.</summary>
public static class RoutingQualityProgram
{
    private const string OursProfilePath = "deploy/examples/picker-profile.yaml";
    private const string ReferenceProfilePath = "deploy/examples/profiles/reference-default.yaml";

    public static async Task<int> Main(string[] args)
    {
        if (args is ["--help" or "-h"])
        {
            Console.WriteLine(RoutingOptions.Usage);
            return 0;
        }

        RoutingOptions options;
        try
        {
            options = RoutingOptions.Parse(args);
            _ = EmbeddedSuite.ProfileFor(options.Preset, new FleetShape());
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync($"{e.Message}\n\n{RoutingOptions.Usage}");
            return 2;
        }

        using var stopping = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stopping.Cancel();
        };

        try
        {
            return await RunAsync(options, "Suite.Routing.Quality " + string.Join(' ', args), stopping.Token);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("Interrupted.");
            return 130;
        }
    }

    private static async Task<int> RunAsync(RoutingOptions options, string command, CancellationToken cancellationToken)
    {
        var startedAt = DateTimeOffset.UtcNow;
        var oursYaml = await File.ReadAllTextAsync(options.OursProfile ?? FindRepositoryFile(OursProfilePath), cancellationToken);
        var referenceYaml = TryFindRepositoryFile(ReferenceProfilePath) is { } referenceFile
            ? await File.ReadAllTextAsync(referenceFile, cancellationToken)
            : Strategy.BuiltInReferenceYaml;
        var runs = new List<StrategyRun>();
        double? capacity = options.Capacity > 0 ? options.Capacity : null;
        var chatMeanOutput = 0.0;
        foreach (var kind in WithSaturationStep(options))
        {
            var workload = WorkloadDefinition.Of(kind, options.Instances);
            IReadOnlyList<RampStep> ramp;
            if (kind == WorkloadKind.MixedPriority)
            {
                capacity ??= MeasuredCapacity(runs);
                ramp = [new RampStep(2 * capacity.Value, options.StepSeconds * 2)];
            }
            else if (kind == WorkloadKind.ChatSaturation)
            {
                ramp = [new RampStep(SaturationRate(runs, chatMeanOutput), options.SaturationSeconds)];
            }
            else
            {
                ramp = options.Ramp(kind);
            }

            var baseModel = EmbeddedSuite.ProfileFor(options.Preset, workload.Fleet).ModelName;
            var plan = workload.Plan(ramp, baseModel, options.Instances, options.Seed + (int)kind);
            if (kind == WorkloadKind.Chat)
            {
                chatMeanOutput = plan.Average(request => (double)request.OutputTokens);
            }
            Say(string.Create(CultureInfo.InvariantCulture, $"Workload {workload.Name}: {plan.Length} requests over {ramp.Count} steps ({string.Join(", ", ramp.Select(step => step.RatePerSecond.ToString("0.#", CultureInfo.InvariantCulture)))} req/s, {ramp[0].Seconds:0} s each); engine: {workload.Engine}"));
            foreach (var name in options.Strategies)
            {
                if (name == Strategy.OursTwoReplicas && kind != WorkloadKind.SharedPrefix)
                {
                    continue;
                }

                var strategy = Strategy.Of(name, oursYaml, referenceYaml);
                var run = await RunStrategyAsync(options, workload, strategy, ramp, plan, cancellationToken);
                runs.Add(run);
            }
        }

        var report = new RoutingReport(command, options, startedAt, DateTimeOffset.UtcNow, oursYaml, capacity, runs);
        var markdown = report.Markdown();
        Console.WriteLine();
        Console.WriteLine(markdown);
        if (options.OutPrefix is { } prefix)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(prefix))!);
            var plots = RoutingPlots.Write(prefix, runs);
            await File.WriteAllTextAsync(prefix + ".md", report.Markdown(plots), cancellationToken);
            await File.WriteAllTextAsync(prefix + ".json", report.Json().ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n", cancellationToken);
            Say($"Wrote {prefix}.md, {prefix}.json and {plots.Count} plots");
        }

        return 0;
    }

    private static async Task<StrategyRun> RunStrategyAsync(
        RoutingOptions options, WorkloadDefinition workload, Strategy strategy, IReadOnlyList<RampStep> ramp, PlannedRequest[] plan, CancellationToken cancellationToken)
    {
        var wall = Stopwatch.StartNew();
        Say($"  {strategy.Name}: {strategy.Label}");
        EmbeddedSuite suite;
        try
        {
            suite = await EmbeddedSuite.StartAsync(options, workload, strategy, cancellationToken);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or IOException)
        {
            var why = $"the picker did not start with this profile: {e.Message}";
            Say($"    unavailable: {why}");
            return new StrategyRun(workload, strategy, [], why, wall.Elapsed.TotalSeconds, 0, 0);
        }

        await using (suite)
        {
            using var watch = new PoolWatch(suite.Bus);
            using var pods = new HttpMessageInvoker(new SocketsHttpHandler
            {
                UseProxy = false,
                ConnectTimeout = TimeSpan.FromSeconds(5),
                PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
                MaxConnectionsPerServer = int.MaxValue,
            });
            var gateways = suite.PickerAddresses.Select(address => new GatewayClient(address, pods)).ToArray();
            try
            {
                if (!await watch.WaitForPodsAsync(options.Instances, TimeSpan.FromSeconds(30), cancellationToken))
                {
                    throw new InvalidOperationException("The collector did not publish a snapshot with every pod scraped within 30 s.");
                }

                foreach (var gateway in gateways)
                {
                    await WarmUpAsync(gateway, EmbeddedSuite.ProfileFor(options.Preset, workload.Fleet).ModelName, cancellationToken);
                }

                var traffic = await OpenLoopRamp.RunAsync(
                    gateways, plan, $"{workload.Name}-{strategy.Name}", TimeSpan.FromSeconds(options.DrainSeconds), Say, cancellationToken);
                var steps = StepResult.Of(traffic, ramp, watch);
                long prompt = 0, cached = 0;
                foreach (var record in traffic.Records)
                {
                    if (record.Outcome == RequestOutcome.Completed)
                    {
                        prompt += record.PromptTokens;
                        cached += record.CachedTokens;
                    }
                }

                foreach (var step in steps)
                {
                    var all = step.All;
                    Say(string.Create(
                        CultureInfo.InvariantCulture,
                        $"    {step.Rate,5:0.#} req/s: completed {all.Completed}/{all.Sent}, shed {all.Shed}, errors {all.Errors}, unfinished {all.Unfinished}; TTFT p90 {Distribution.Duration(all.Ttft?.P90)}, e2e p90 {Distribution.Duration(all.E2e?.P90)}, {all.OutputTokensPerSecond:0} tok/s, prefix hits {all.PrefixHitRate:P1}, KV mean {step.KvMean:P1} max {step.KvMax:P1}"));
                }

                var unfinished = traffic.Records.Count(record => record.Outcome == RequestOutcome.Unfinished);
                var errors = traffic.Records.Where(record => record.Outcome == RequestOutcome.Error).GroupBy(record => record.Detail).Select(group => $"{group.Count()} × {group.Key}").Take(3).ToArray();
                if (errors.Length > 0)
                {
                    Say($"    errors: {string.Join("; ", errors)}");
                }

                return new StrategyRun(workload, strategy, steps, null, wall.Elapsed.TotalSeconds, prompt == 0 ? 0 : (double)cached / prompt, unfinished);
            }
            finally
            {
                foreach (var gateway in gateways)
                {
                    gateway.Dispose();
                }
            }
        }
    }

    /// <summary>A few short requests with unique prompts (no cache a strategy could later use), so the picker's request path is compiled before it is measured.</summary>
    private static async Task WarmUpAsync(GatewayClient gateway, string model, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (30 * Stopwatch.Frequency);
        for (var i = 0; i < 8; i++)
        {
            var body = PromptText.ChatBody(model, null, PromptText.Tag("warm-up", i) + Guid.NewGuid().ToString("N"), 2);
            var request = new PlannedRequest(i, 0, -1, model, null, body, 16, 2);
            var record = await gateway.SendAsync(request, $"warm-up-{i}", Stopwatch.GetTimestamp(), cancellationToken);
            if (record.Outcome != RequestOutcome.Completed)
            {
                if (Stopwatch.GetTimestamp() > deadline)
                {
                    throw new InvalidOperationException($"The picker did not route a warm-up request within 30 s: {record.Outcome} {record.Detail}.");
                }

                i--;
                await Task.Delay(200, cancellationToken);
            }
        }
    }

    /// <summary>The workloads in running order: chat-saturation right after chat, unless its length is 0.</summary>
    private static IEnumerable<WorkloadKind> WithSaturationStep(RoutingOptions options)
    {
        foreach (var kind in options.Workloads)
        {
            yield return kind;
            if (kind == WorkloadKind.Chat && options.SaturationSeconds > 0)
            {
                yield return WorkloadKind.ChatSaturation;
            }
        }
    }

    /// <summary>
    /// The sustained chat step's rate: <see cref="WorkloadDefinition.SaturationShare"/> of the highest output rate any
    /// strategy delivered in a chat step, in requests of the plan's mean output length.
    /// </summary>
    private static double SaturationRate(IReadOnlyList<StrategyRun> runs, double meanOutputTokens)
    {
        var peak = runs.Where(run => run.Workload.Kind == WorkloadKind.Chat && run.Unavailable is null)
            .SelectMany(run => run.Steps)
            .Select(step => step.All.DeliveredTokensPerSecond)
            .DefaultIfEmpty(0)
            .Max();
        if (peak <= 0 || meanOutputTokens <= 0)
        {
            throw new InvalidOperationException("chat-saturation needs a chat ramp that delivered tokens.");
        }

        return Math.Round(WorkloadDefinition.SaturationShare * peak / meanOutputTokens, 1);
    }

    /// <summary>
    /// The fleet's capacity for chat as this run measured it: the highest chat step at which the best strategy kept
    /// TTFT p90 under one second (the knee), or the lowest step if none did.
    /// </summary>
    private static double MeasuredCapacity(IReadOnlyList<StrategyRun> runs)
    {
        var chat = runs.Where(run => run.Workload.Kind == WorkloadKind.Chat && run.Unavailable is null).ToArray();
        if (chat.Length == 0)
        {
            throw new InvalidOperationException("mixed-priority needs the chat workload in the same run, or --capacity.");
        }

        var knee = chat.SelectMany(run => run.Steps).Where(step => step.All.Ttft is { P90: < 1000 } && step.All.Unfinished == 0).Select(step => step.Rate).DefaultIfEmpty(0).Max();
        return knee > 0 ? knee : chat[0].Steps[0].Rate;
    }

    private static string FindRepositoryFile(string relative) =>
        TryFindRepositoryFile(relative) ?? throw new FileNotFoundException($"{relative} not found above the working directory or the program.");

    private static string? TryFindRepositoryFile(string relative)
    {
        for (var directory = new DirectoryInfo(Directory.GetCurrentDirectory()); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, relative);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, relative);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static void Say(string line) => Console.WriteLine($"{DateTime.Now:HH:mm:ss} {line}");
}
