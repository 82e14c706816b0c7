using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Suite.Queue.Overload.Embedded;
using Suite.Queue.Overload.Gateway;
using Suite.Queue.Overload.Observation;
using Suite.Queue.Overload.Reporting;
using Suite.Queue.Overload.Runs;
using Suite.Queue.Overload.Workload;

namespace Suite.Queue.Overload;

/// <summary>Entry point; not named Program, which every service and model-sim define.</summary>
public static class OverloadProgram
{
    public static async Task<int> Main(string[] args)
    {
        if (args is ["--help" or "-h"])
        {
            Console.WriteLine(OverloadOptions.Usage);
            return 0;
        }

        OverloadOptions options;
        try
        {
            options = OverloadOptions.Parse(args);
            _ = EmbeddedSuite.ProfileFor(options);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync($"{e.Message}\n\n{OverloadOptions.Usage}");
            return 2;
        }

        using var stopping = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stopping.Cancel();
        };

        var command = "Suite.Queue.Overload " + string.Join(' ', args);
        try
        {
            return await RunAsync(options, command, stopping.Token);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("Interrupted.");
            return 130;
        }
    }

    private static async Task<int> RunAsync(OverloadOptions options, string command, CancellationToken cancellationToken)
    {
        var startedAt = DateTimeOffset.UtcNow;
        var profile = EmbeddedSuite.ProfileFor(options);
        var arms = options.Arms.Select(ArmDefinition.Of).ToArray();
        Say($"Starting {options.Instances} {options.Preset} pods (max-num-seqs {profile.MaxNumSeqs}), collector, catalog, queue and pickers for {string.Join(", ", arms.Select(arm => arm.Name))}");
        await using var suite = await EmbeddedSuite.StartAsync(options, profile, arms, cancellationToken);
        using var watch = new PoolWatch(suite.Bus);
        using var meters = new ServiceMeters(suite.Services.ToDictionary(service => (object)service.Services.GetRequiredService<IMeterFactory>(), service => service.Name));
        using var pods = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        });
        var gateways = arms.ToDictionary(arm => arm.Kind, arm => new GatewayClient(suite.PickerAddresses[arm.Kind], pods));
        try
        {
            if (!await watch.WaitForPodsAsync(options.Instances, TimeSpan.FromSeconds(30), cancellationToken))
            {
                throw new InvalidOperationException("The collector did not publish a snapshot with every pod scraped within 30 s.");
            }

            foreach (var arm in arms)
            {
                await WarmUpAsync(arm, gateways[arm.Kind], options, cancellationToken);
            }

            var bodies = new ChatBodies(options.PromptTokens);
            var lengths = new OutputLengths(options.OutputTokens, options.OutputSpread);
            CapacityMeasurement? capacity = null;
            var capacityUsed = options.Capacity;
            if (capacityUsed <= 0)
            {
                Say("Measuring the fleet's capacity (closed loop, straight to the pods)");
                capacity = await CapacityProbe.RunAsync(
                    suite.PodAddresses, profile, bodies, lengths, options.PromptTokens, pods, TimeSpan.FromSeconds(options.CapacitySeconds), watch, Say, cancellationToken);
                capacityUsed = capacity.MeasuredPerSecond;
                Say(string.Create(CultureInfo.InvariantCulture, $"  capacity {capacity.MeasuredPerSecond:0.0} req/s measured ({capacity.Completions} in {capacity.WindowSeconds:0} s, {capacity.Errors} errors, mean running {capacity.MeanRunning:0.0}, waiting {capacity.MeanWaiting:0.0}), {capacity.PredictedPerSecond:0.0} req/s predicted; prompt {capacity.PromptTokens} tokens"));
            }

            var rate = capacityUsed * options.LoadFactor;
            var schedule = ArrivalSchedule.Create(rate, options.DurationSeconds, options.CriticalShare, lengths, options.Seed);
            var run = new RunContext(
                command, startedAt, options, profile, capacity, capacityUsed, rate, schedule.Length, schedule.Count(arrival => arrival.Class == RequestClass.Critical));
            Say(string.Create(CultureInfo.InvariantCulture, $"Offered load {rate:0.0} req/s for {options.DurationSeconds:0} s: {run.Scheduled} requests, {run.ScheduledCritical} Critical"));

            var results = new List<ArmResult>();
            for (var i = 0; i < arms.Length; i++)
            {
                results.Add(await RunArmAsync(arms[i], i + 1, gateways[arms[i].Kind], schedule, bodies, rate, options, watch, meters, cancellationToken));
            }

            var checks = OverloadReport.Checks(results, options.TtftSloMs);
            var text = OverloadReport.Text(run, results, checks);
            Console.WriteLine();
            Console.WriteLine(text);
            if (options.OutPrefix is { } prefix)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(prefix))!);
                await File.WriteAllTextAsync(prefix + ".txt", text, cancellationToken);
                var json = OverloadReport.Json(run, results, checks).ToJsonString(new JsonSerializerOptions { WriteIndented = true });
                await File.WriteAllTextAsync(prefix + ".json", json + "\n", cancellationToken);
                Say($"Wrote {prefix}.txt and {prefix}.json");
            }

            return checks.Any(line => line.StartsWith("FAIL", StringComparison.Ordinal)) ? 1 : 0;
        }
        finally
        {
            foreach (var gateway in gateways.Values)
            {
                gateway.Dispose();
            }
        }
    }

    private static async Task<ArmResult> RunArmAsync(
        ArmDefinition arm,
        int phase,
        GatewayClient gateway,
        ScheduledArrival[] schedule,
        ChatBodies bodies,
        double rate,
        OverloadOptions options,
        PoolWatch watch,
        ServiceMeters meters,
        CancellationToken cancellationToken)
    {
        if (!await watch.WaitForIdleAsync(TimeSpan.FromSeconds(60), cancellationToken))
        {
            Say("  (the fleet or the queue was still busy after 60 s; starting anyway)");
        }

        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        Say($"Arm {phase} `{arm.Name}`: {arm.Label}");
        var before = meters.Counts();
        var cpu = new CpuMeter();
        var traffic = await OpenLoopArm.RunAsync(gateway, schedule, bodies, phase, TimeSpan.FromSeconds(options.DrainTimeoutSeconds), Say, cancellationToken);
        var (processCores, machineCores) = cpu.Read();
        var counts = Delta(before, meters.Counts(), arm);
        var (pool, _) = watch.Between(traffic.Started, traffic.ArrivalsEnded);
        var (_, pressure) = watch.Between(traffic.Started, traffic.Finished);
        var result = new ArmResult(
            arm, rate, options.DurationSeconds, traffic, pool, pressure, counts, meters.QueueWaits(traffic.Started, traffic.Finished), processCores, machineCores);
        foreach (var (name, type) in new[] { ("Critical", RequestClass.Critical), ("Sheddable", RequestClass.Sheddable) })
        {
            var s = result.Summarize(type, options.TtftSloMs);
            Say(string.Create(CultureInfo.InvariantCulture, $"  {name}: sent {s.Sent}, completed {s.Completed}, shed {s.Shed}, expired {s.Expired}, other {s.OtherErrorCount}; TTFT p50 {Distribution.Duration(s.Ttft?.P50)}, p99 {Distribution.Duration(s.Ttft?.P99)}"));
        }

        return result;
    }

    /// <summary>
    /// Until the picker answers with the catalog applied (both public names rewritten to the base model, so the pod
    /// serves them), then a few dozen short requests so its request path is compiled before it is measured.
    /// </summary>
    private static async Task WarmUpAsync(ArmDefinition arm, GatewayClient gateway, OverloadOptions options, CancellationToken cancellationToken)
    {
        var shortBodies = new ChatBodies(options.PromptTokens);
        var deadline = Stopwatch.GetTimestamp() + (30 * Stopwatch.Frequency);
        var attempt = 0;
        while (true)
        {
            var critical = await SendShortAsync(RequestClass.Critical, attempt);
            var sheddable = await SendShortAsync(RequestClass.Sheddable, attempt);
            attempt++;
            if (critical.Outcome == RequestOutcome.Completed && sheddable.Outcome == RequestOutcome.Completed)
            {
                break;
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new InvalidOperationException($"The `{arm.Name}` picker did not route `chat` and `batch` to a pod within 30 s: {critical.Outcome} {critical.Detail}; {sheddable.Outcome} {sheddable.Detail}.");
            }

            await Task.Delay(200, cancellationToken);
        }

        var warmUps = new List<Task<RequestRecord>>();
        for (var i = 0; i < 40; i++)
        {
            warmUps.Add(SendShortAsync(i % 2 == 0 ? RequestClass.Critical : RequestClass.Sheddable, 1000 + i));
            await Task.Delay(25, cancellationToken);
        }

        var outcomes = await Task.WhenAll(warmUps);
        Say($"  picker `{arm.Name}` routes both models; warm-up {outcomes.Count(record => record.Outcome == RequestOutcome.Completed)} of {outcomes.Length} completed");

        Task<RequestRecord> SendShortAsync(RequestClass type, int index)
        {
            var model = type == RequestClass.Critical ? SuiteManifests.CriticalModel : SuiteManifests.SheddableModel;
            var arrival = new ScheduledArrival(index, 0, type, 4);
            return gateway.SendAsync(arrival, shortBodies.Create(model, 99, index, arrival.OutputTokens), $"warm-up-{arm.Name}-{index}", Stopwatch.GetTimestamp(), cancellationToken);
        }
    }

    /// <summary>This arm's picker's counts and the queue's, over the arm.</summary>
    private static Dictionary<string, long> Delta(Dictionary<string, long> before, Dictionary<string, long> after, ArmDefinition arm)
    {
        var picker = $"picker:{arm.Name} ";
        return after
            .Where(pair => pair.Key.StartsWith(picker, StringComparison.Ordinal) || pair.Key.StartsWith("queue ", StringComparison.Ordinal))
            .Select(pair => KeyValuePair.Create(pair.Key, pair.Value - before.GetValueOrDefault(pair.Key)))
            .Where(pair => pair.Value != 0)
            .ToDictionary(StringComparer.Ordinal);
    }

    private static void Say(string line) => Console.WriteLine($"{DateTime.Now:HH:mm:ss} {line}");
}
