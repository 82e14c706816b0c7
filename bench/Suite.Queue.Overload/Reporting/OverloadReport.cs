extern alias ModelSim;

using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using ModelSim::Suite.ModelSim.Engine;
using Suite.Queue.Overload.Runs;
using Suite.Queue.Overload.Workload;

namespace Suite.Queue.Overload.Reporting;

/// <summary>What the whole run was: its command, settings, the fleet's capacity and the load derived from it.</summary>
/// <param name="Capacity">The closed-loop measurement; null when <c>--capacity</c> was given.</param>
/// <param name="CapacityUsed">The capacity the offered load is a multiple of, requests/s.</param>
internal sealed record RunContext(
    string Command,
    DateTimeOffset StartedAt,
    OverloadOptions Options,
    EngineProfile Profile,
    CapacityMeasurement? Capacity,
    double CapacityUsed,
    double OfferedRate,
    int Scheduled,
    int ScheduledCritical);

/// <summary>The text summary (markdown tables) and the JSON result of a run.</summary>
internal static class OverloadReport
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>One line per arm: whether a Critical request was answered 429 (FAIL) and, for information, how many expired.</summary>
    public static IReadOnlyList<string> Checks(IReadOnlyList<ArmResult> arms, double ttftSloMs)
    {
        var lines = new List<string>();
        foreach (var arm in arms)
        {
            var critical = arm.Summarize(RequestClass.Critical, ttftSloMs);
            lines.Add(critical.Shed == 0
                ? $"PASS {arm.Arm.Name}: Critical shed 0 of {critical.Sent} sent"
                : $"FAIL {arm.Arm.Name}: Critical shed {critical.Shed} of {critical.Sent} sent (must be 0)");
            if (critical.Expired > 0)
            {
                lines.Add($"NOTE {arm.Arm.Name}: {critical.Expired} Critical requests expired in the queue (503 after Picker:Queue:MaxWait); expiry is not shedding, but they were not served");
            }
        }

        return lines;
    }

    public static string Text(RunContext run, IReadOnlyList<ArmResult> arms, IReadOnlyList<string> checks)
    {
        var options = run.Options;
        var text = new StringBuilder();
        text.AppendLine(Invariant, $"# command: {run.Command}");
        text.AppendLine(Invariant, $"# source: {options.Source ?? "not given (--source)"}");
        text.AppendLine(Invariant, $"# started {run.StartedAt:yyyy-MM-dd HH:mm:ss}Z on {Environment.ProcessorCount} cores, .NET {Environment.Version}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
        text.AppendLine();
        text.AppendLine("# Queue overload: Critical and Sheddable traffic above the fleet's capacity, with and without the queue");
        text.AppendLine();
        text.AppendLine(Invariant, $"Fleet: {options.Instances} model-sim pods, preset {options.Preset} ({run.Profile.ModelName}), max-num-seqs {run.Profile.MaxNumSeqs} per pod, step cost {run.Profile.StepOverheadMs} ms + {run.Profile.DecodeMsPerSequence} ms/sequence + {run.Profile.PrefillMsPerToken} ms/prompt token + {run.Profile.KvReadMsPer1kTokens} ms/1k context tokens.");
        text.AppendLine(Invariant, $"Requests: streaming chat completions, one user message of ~{options.PromptTokens} tokens ({run.Capacity?.PromptTokens.ToString(Invariant) ?? "?"} as the simulator counts them with its chat template), output lengths uniform from {new OutputLengths(options.OutputTokens, options.OutputSpread).Min} to {new OutputLengths(options.OutputTokens, options.OutputSpread).Max} tokens (ignore_eos, seeded per request), no shared prefixes.");
        text.AppendLine("Suite: collector (static manifests, " + options.ScrapeIntervalMs.ToString(Invariant) + " ms scrapes), catalog (InferenceModel `chat` Critical and `batch` Sheddable, both → the base model), queue service, one picker per arm; production hosting code, loopback ports, one in-memory bus and state store. Saturation thresholds: the defaults (5 waiting or 80 % KV per pod, figures older than 2 s stale) in picker and queue.");
        if (run.Capacity is { } capacity)
        {
            text.AppendLine(Invariant, $"Capacity: measured {capacity.MeasuredPerSecond:0.0} req/s ({capacity.Completions} completions in a {capacity.WindowSeconds:0} s window, {capacity.Streams} closed-loop streams straight to the pods, mean running {capacity.MeanRunning:0.0} of {options.Instances * run.Profile.MaxNumSeqs}, mean waiting {capacity.MeanWaiting:0.0}; TTFT p50 {capacity.TtftP50Ms:0} ms, p99 {capacity.TtftP99Ms:0} ms; e2e p50 {capacity.EndToEndP50Ms:0} ms; {capacity.Errors} errors). The engine's step formula predicts {capacity.PredictedPerSecond:0.0} req/s and {capacity.PredictedEndToEndSeconds:0.00} s per request in a full batch.");
        }
        else
        {
            text.AppendLine(Invariant, $"Capacity: {run.CapacityUsed:0.0} req/s, given with --capacity (not measured).");
        }

        text.AppendLine(Invariant, $"Load: open-loop Poisson arrivals at {options.LoadFactor:0.##} × {run.CapacityUsed:0.0} = {run.OfferedRate:0.0} req/s for {options.DurationSeconds:0} s, {options.CriticalShare:P0} Critical (`chat`) and the rest Sheddable (`batch`), seed {options.Seed}: {run.Scheduled} requests ({run.ScheduledCritical} Critical), the same arrivals in every arm. Times are from each request's scheduled arrival: the decision includes any wait in the queue, TTFT and e2e include the decision.");
        text.AppendLine(Invariant, $"Goodput: completed requests with TTFT ≤ {options.TtftSloMs:0} ms, per second of arrivals. Shed = answered 429 by the picker; expired = 503 after waiting in the queue until Picker:Queue:MaxWait (30 s).");
        text.AppendLine();

        foreach (var arm in arms)
        {
            AppendArm(text, arm, options.TtftSloMs);
        }

        if (arms.Count > 1)
        {
            AppendComparison(text, arms, options.TtftSloMs);
        }

        text.AppendLine("## Checks");
        text.AppendLine();
        foreach (var line in checks)
        {
            text.AppendLine(line);
        }

        return text.ToString();
    }

    public static JsonObject Json(RunContext run, IReadOnlyList<ArmResult> arms, IReadOnlyList<string> checks)
    {
        var options = run.Options;
        var armNodes = new JsonArray();
        foreach (var arm in arms)
        {
            armNodes.Add(ArmJson(arm, options.TtftSloMs));
        }

        return new JsonObject
        {
            ["command"] = run.Command,
            ["source"] = options.Source,
            ["startedAt"] = run.StartedAt.ToString("O", Invariant),
            ["machine"] = new JsonObject
            {
                ["cores"] = Environment.ProcessorCount,
                ["dotnet"] = Environment.Version.ToString(),
                ["os"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
            },
            ["settings"] = new JsonObject
            {
                ["arms"] = new JsonArray([.. options.Arms.Select(kind => JsonValue.Create(ArmDefinition.Of(kind).Name))]),
                ["instances"] = options.Instances,
                ["preset"] = options.Preset,
                ["model"] = run.Profile.ModelName,
                ["maxNumSeqs"] = run.Profile.MaxNumSeqs,
                ["promptTokensAsked"] = options.PromptTokens,
                ["outputTokensMean"] = options.OutputTokens,
                ["outputSpread"] = options.OutputSpread,
                ["loadFactor"] = options.LoadFactor,
                ["criticalShare"] = options.CriticalShare,
                ["durationSeconds"] = options.DurationSeconds,
                ["drainTimeoutSeconds"] = options.DrainTimeoutSeconds,
                ["ttftSloMs"] = options.TtftSloMs,
                ["seed"] = options.Seed,
                ["scrapeIntervalMs"] = options.ScrapeIntervalMs,
                ["quick"] = options.Quick,
            },
            ["capacity"] = run.Capacity is { } capacity
                ? new JsonObject
                {
                    ["source"] = "measured",
                    ["measuredPerSecond"] = Math.Round(capacity.MeasuredPerSecond, 2),
                    ["predictedPerSecond"] = Math.Round(capacity.PredictedPerSecond, 2),
                    ["predictedEndToEndSeconds"] = Math.Round(capacity.PredictedEndToEndSeconds, 3),
                    ["windowSeconds"] = capacity.WindowSeconds,
                    ["completions"] = capacity.Completions,
                    ["errors"] = capacity.Errors,
                    ["streams"] = capacity.Streams,
                    ["promptTokens"] = capacity.PromptTokens,
                    ["ttftP50Ms"] = Math.Round(capacity.TtftP50Ms, 1),
                    ["ttftP99Ms"] = Math.Round(capacity.TtftP99Ms, 1),
                    ["endToEndP50Ms"] = Math.Round(capacity.EndToEndP50Ms, 1),
                    ["meanRunning"] = Math.Round(capacity.MeanRunning, 1),
                    ["meanWaiting"] = Math.Round(capacity.MeanWaiting, 2),
                }
                : new JsonObject { ["source"] = "--capacity", ["perSecond"] = run.CapacityUsed },
            ["offeredRate"] = Math.Round(run.OfferedRate, 2),
            ["scheduled"] = run.Scheduled,
            ["scheduledCritical"] = run.ScheduledCritical,
            ["arms"] = armNodes,
            ["checks"] = new JsonArray([.. checks.Select(line => JsonValue.Create(line))]),
            ["passed"] = !checks.Any(line => line.StartsWith("FAIL", StringComparison.Ordinal)),
        };
    }

    private static void AppendArm(StringBuilder text, ArmResult arm, double sloMs)
    {
        var traffic = arm.Traffic;
        text.AppendLine(Invariant, $"## Arm `{arm.Arm.Name}`");
        text.AppendLine();
        text.AppendLine(arm.Arm.Label);
        text.AppendLine();
        text.AppendLine("| class | sent | routed | completed | shed (429) | shed rate | expired (503) | other errors | TTFT p50 | TTFT p90 | TTFT p99 | e2e p50 | e2e p99 | decision p50 | decision p99 | completed/s | goodput/s |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (name, type) in Classes)
        {
            var s = arm.Summarize(type, sloMs);
            text.AppendLine(Invariant, $"| {name} | {s.Sent} | {s.Routed} | {s.Completed} | {s.Shed} | {s.ShedRate:P1} | {s.Expired} | {s.OtherErrorCount} | {Distribution.Ms(s.Ttft?.P50)} | {Distribution.Ms(s.Ttft?.P90)} | {Distribution.Ms(s.Ttft?.P99)} | {Distribution.Ms(s.EndToEnd?.P50)} | {Distribution.Ms(s.EndToEnd?.P99)} | {Distribution.Ms(s.Decision?.P50)} | {Distribution.Ms(s.Decision?.P99)} | {s.CompletedPerSecond:0.0} | {s.GoodputPerSecond:0.0} |");
        }

        text.AppendLine();
        text.AppendLine("Times in ms (or s where marked), from the scheduled arrival, over completed requests (decision: over routed ones).");
        var all = arm.Summarize(null, sloMs);
        if (all.OtherErrors.Count > 0)
        {
            text.AppendLine("Other errors: " + string.Join("; ", all.OtherErrors.OrderByDescending(pair => pair.Value).Select(pair => $"{pair.Key} × {pair.Value}")) + ".");
        }

        text.AppendLine("Routed at once (the picker answered within " + AtOnceMs.ToString(Invariant) + " ms) or after waiting for the queue, with the TTFT of each group: "
            + string.Join("; ", Classes.Where(c => c.Type is not null).Select(c => $"{c.Name} {WaitSplit(traffic.Records, c.Type!.Value)}")) + ".");
        var pool = arm.Pool;
        if (pool.Length > 0)
        {
            var saturated = pool.Count(sample => sample.Saturation >= 1) / (double)pool.Length;
            text.AppendLine(Invariant, $"Pool (collector snapshots during arrivals, n={pool.Length}): saturated in {saturated:P0} of them, mean saturation {pool.Average(s => s.Saturation):0.00}; on the pods mean running {pool.Average(s => s.Running):0.0}, mean waiting {pool.Average(s => s.Waiting):0.0} (max {pool.Max(s => s.Waiting)}, max on one pod {pool.Max(s => s.MostWaitingOnOnePod)}).");
        }

        if (arm.Pressure.Length > 0)
        {
            text.AppendLine(Invariant, $"Queue depth (pool-pressure events, n={arm.Pressure.Length}): max {arm.Pressure.Max(p => p.QueueDepth)}, mean of events {arm.Pressure.Average(p => p.QueueDepth):0.0}.");
        }

        if (arm.Counts.Count > 0)
        {
            text.AppendLine("Counters: " + string.Join("; ", arm.Counts.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"{pair.Key} {pair.Value}")) + ".");
        }

        if (Distribution.Of(arm.QueueWaits.Select(seconds => seconds * 1000)) is { } waits)
        {
            text.AppendLine(Invariant, $"Queue waits of admitted requests (queue.wait.duration): p50 {waits.P50:0} ms, p90 {waits.P90:0} ms, p99 {waits.P99:0} ms, max {waits.Max:0} ms (n={waits.Count}).");
        }

        var lag = Distribution.Of(traffic.Records.Select(record => record.LagMs));
        var drain = (traffic.Finished - traffic.ArrivalsEnded) / (double)Stopwatch.Frequency;
        text.AppendLine(Invariant, $"Run: arrivals {arm.DurationSeconds:0} s, then {drain:0.0} s until the last request ended{(traffic.DrainTimedOut ? " (drain timeout: the rest cancelled)" : "")}; generator lag p50 {lag?.P50:0.00} ms, p99 {lag?.P99:0.00} ms; CPU: this process {arm.ProcessCores:0.00} cores, machine {arm.MachineCores:0.00} of {Environment.ProcessorCount}.");
        text.AppendLine();
    }

    private static void AppendComparison(StringBuilder text, IReadOnlyList<ArmResult> arms, double sloMs)
    {
        text.AppendLine("## Side by side (same arrivals, same process, arms one after the other)");
        text.AppendLine();
        text.AppendLine("| measure | " + string.Join(" | ", arms.Select(arm => $"`{arm.Arm.Name}`")) + " |");
        text.AppendLine("|---|" + string.Concat(arms.Select(_ => "---:|")));
        var critical = arms.Select(arm => arm.Summarize(RequestClass.Critical, sloMs)).ToArray();
        var sheddable = arms.Select(arm => arm.Summarize(RequestClass.Sheddable, sloMs)).ToArray();
        var all = arms.Select(arm => arm.Summarize(null, sloMs)).ToArray();
        Row(text, "Critical TTFT p50", critical.Select(s => Distribution.Ms(s.Ttft?.P50)));
        Row(text, "Critical TTFT p90", critical.Select(s => Distribution.Ms(s.Ttft?.P90)));
        Row(text, "Critical TTFT p99", critical.Select(s => Distribution.Ms(s.Ttft?.P99)));
        Row(text, "Critical e2e p99", critical.Select(s => Distribution.Ms(s.EndToEnd?.P99)));
        Row(text, "Critical decision p99 (wait before routing)", critical.Select(s => Distribution.Ms(s.Decision?.P99)));
        Row(text, "Critical completed / sent", critical.Select(s => $"{s.Completed} / {s.Sent}"));
        Row(text, "Critical shed (429)", critical.Select(s => s.Shed.ToString(Invariant)));
        Row(text, "Critical expired (503)", critical.Select(s => s.Expired.ToString(Invariant)));
        Row(text, "Critical other errors", critical.Select(s => s.OtherErrorCount.ToString(Invariant)));
        Row(text, $"Critical goodput (TTFT ≤ {sloMs:0} ms), req/s", critical.Select(s => s.GoodputPerSecond.ToString("0.0", Invariant)));
        Row(text, "Sheddable shed rate (429)", sheddable.Select(s => s.ShedRate.ToString("P1", Invariant)));
        Row(text, "Sheddable completed / sent", sheddable.Select(s => $"{s.Completed} / {s.Sent}"));
        Row(text, "Sheddable expired (503)", sheddable.Select(s => s.Expired.ToString(Invariant)));
        Row(text, "Sheddable other errors", sheddable.Select(s => s.OtherErrorCount.ToString(Invariant)));
        Row(text, "Sheddable TTFT p99", sheddable.Select(s => Distribution.Ms(s.Ttft?.P99)));
        Row(text, "all completed, req/s", all.Select(s => s.CompletedPerSecond.ToString("0.0", Invariant)));
        Row(text, $"all goodput (TTFT ≤ {sloMs:0} ms), req/s", all.Select(s => s.GoodputPerSecond.ToString("0.0", Invariant)));
        Row(text, "pool saturated (share of snapshots)", arms.Select(arm => arm.Pool.Length == 0 ? "–" : (arm.Pool.Count(s => s.Saturation >= 1) / (double)arm.Pool.Length).ToString("P0", Invariant)));
        Row(text, "mean waiting on the pods", arms.Select(arm => arm.Pool.Length == 0 ? "–" : arm.Pool.Average(s => s.Waiting).ToString("0.0", Invariant)));
        Row(text, "max queue depth", arms.Select(arm => arm.Pressure.Length == 0 ? "–" : arm.Pressure.Max(p => p.QueueDepth).ToString(Invariant)));
        text.AppendLine();

        var baseline = arms.FirstOrDefault(arm => arm.Arm.Kind == ArmKind.NoQueue);
        var queued = arms.FirstOrDefault(arm => arm.Arm.Kind == ArmKind.Queue);
        if (baseline is not null && queued is not null)
        {
            var q = queued.Summarize(RequestClass.Critical, sloMs);
            var b = baseline.Summarize(RequestClass.Critical, sloMs);
            var qs = queued.Summarize(RequestClass.Sheddable, sloMs);
            var bs = baseline.Summarize(RequestClass.Sheddable, sloMs);
            text.AppendLine(Invariant, $"Queue against no queue: Critical TTFT p99 {Ratio(q.Ttft?.P99, b.Ttft?.P99, Distribution.Duration)}, p50 {Ratio(q.Ttft?.P50, b.Ttft?.P50, Distribution.Duration)}; Critical goodput {Ratio(q.GoodputPerSecond, b.GoodputPerSecond, PerSecond)}; Critical completed {Ratio(q.Completed, b.Completed, Count)}; Sheddable shed rate {qs.ShedRate:P1} against {bs.ShedRate:P1}.");
            text.AppendLine();
        }
    }

    private static JsonObject ArmJson(ArmResult arm, double sloMs)
    {
        var classes = new JsonObject();
        foreach (var (name, type) in Classes)
        {
            var s = arm.Summarize(type, sloMs);
            classes[name] = new JsonObject
            {
                ["sent"] = s.Sent,
                ["routed"] = s.Routed,
                ["completed"] = s.Completed,
                ["shed429"] = s.Shed,
                ["shedRate"] = Math.Round(s.ShedRate, 4),
                ["expired503"] = s.Expired,
                ["otherErrors"] = s.OtherErrorCount,
                ["otherErrorKinds"] = new JsonObject([.. s.OtherErrors.Select(pair => KeyValuePair.Create(pair.Key, (JsonNode?)pair.Value))]),
                ["ttftMs"] = s.Ttft?.ToJson(),
                ["e2eMs"] = s.EndToEnd?.ToJson(),
                ["decisionMs"] = s.Decision?.ToJson(),
                ["completedPerSecond"] = Math.Round(s.CompletedPerSecond, 2),
                ["goodputPerSecond"] = Math.Round(s.GoodputPerSecond, 2),
                ["outputTokensPerSecond"] = Math.Round(s.OutputTokensPerSecond, 1),
            };
        }

        var traffic = arm.Traffic;
        return new JsonObject
        {
            ["name"] = arm.Arm.Name,
            ["label"] = arm.Arm.Label,
            ["offeredRate"] = Math.Round(arm.OfferedRate, 2),
            ["arrivalSeconds"] = arm.DurationSeconds,
            ["drainSeconds"] = Math.Round((traffic.Finished - traffic.ArrivalsEnded) / (double)Stopwatch.Frequency, 2),
            ["drainTimedOut"] = traffic.DrainTimedOut,
            ["classes"] = classes,
            ["pool"] = arm.Pool.Length == 0 ? null : new JsonObject
            {
                ["snapshots"] = arm.Pool.Length,
                ["saturatedShare"] = Math.Round(arm.Pool.Count(s => s.Saturation >= 1) / (double)arm.Pool.Length, 4),
                ["meanSaturation"] = Math.Round(arm.Pool.Average(s => s.Saturation), 3),
                ["meanRunning"] = Math.Round(arm.Pool.Average(s => s.Running), 1),
                ["meanWaiting"] = Math.Round(arm.Pool.Average(s => s.Waiting), 2),
                ["maxWaiting"] = arm.Pool.Max(s => s.Waiting),
            },
            ["queueDepth"] = arm.Pressure.Length == 0 ? null : new JsonObject
            {
                ["events"] = arm.Pressure.Length,
                ["max"] = arm.Pressure.Max(p => p.QueueDepth),
                ["meanOfEvents"] = Math.Round(arm.Pressure.Average(p => p.QueueDepth), 2),
            },
            ["counters"] = new JsonObject([.. arm.Counts.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => KeyValuePair.Create(pair.Key, (JsonNode?)pair.Value))]),
            ["queueWaitMs"] = Distribution.Of(arm.QueueWaits.Select(seconds => seconds * 1000))?.ToJson(),
            ["generatorLagMs"] = Distribution.Of(traffic.Records.Select(record => record.LagMs))?.ToJson(),
            ["cpu"] = new JsonObject { ["processCores"] = Math.Round(arm.ProcessCores, 3), ["machineCores"] = arm.MachineCores is { } machine ? Math.Round(machine, 3) : null },
            ["timeline"] = Timeline(arm),
        };
    }

    /// <summary>Per second of the arm: what the picker decided (by decision time), completions (by end time), and the pool and queue.</summary>
    private static JsonArray Timeline(ArmResult arm)
    {
        var traffic = arm.Traffic;
        var seconds = (int)Math.Ceiling((traffic.Finished - traffic.Started) / (double)Stopwatch.Frequency);
        var buckets = new Bucket[Math.Max(1, seconds)];
        for (var i = 0; i < buckets.Length; i++)
        {
            buckets[i] = new Bucket();
        }

        Bucket At(double secondsFromStart) => buckets[Math.Clamp((int)secondsFromStart, 0, buckets.Length - 1)];
        double Since(long timestamp) => (timestamp - traffic.Started) / (double)Stopwatch.Frequency;
        foreach (var record in traffic.Records)
        {
            var bucket = At(record.AtSeconds + ((record.DecisionMs ?? 0) / 1000));

            if (record.Outcome is Gateway.RequestOutcome.Shed or Gateway.RequestOutcome.QueueFull)
            {
                bucket.Shed++;
            }

            if (record.Outcome == Gateway.RequestOutcome.Expired)
            {
                bucket.Expired++;
            }

            if (record.Endpoint is not null && record.Class == RequestClass.Critical)
            {
                bucket.RoutedCritical++;
            }
            else if (record.Endpoint is not null)
            {
                bucket.RoutedSheddable++;
            }

            if (record.Outcome == Gateway.RequestOutcome.Completed)
            {
                At(record.AtSeconds + (record.E2eMs!.Value / 1000)).Completed++;
            }
        }

        foreach (var sample in arm.Pool)
        {
            var bucket = At(Since(sample.Timestamp));
            bucket.Snapshots++;
            bucket.Saturation += sample.Saturation;
            bucket.Waiting += sample.Waiting;
            bucket.Running += sample.Running;
        }

        foreach (var sample in arm.Pressure)
        {
            At(Since(sample.Timestamp)).QueueDepth = sample.QueueDepth;
        }

        var timeline = new JsonArray();
        for (var i = 0; i < buckets.Length; i++)
        {
            var b = buckets[i];
            timeline.Add(new JsonObject
            {
                ["t"] = i,
                ["routedCritical"] = b.RoutedCritical,
                ["routedSheddable"] = b.RoutedSheddable,
                ["shed"] = b.Shed,
                ["expired"] = b.Expired,
                ["completed"] = b.Completed,
                ["saturation"] = b.Snapshots == 0 ? null : Math.Round(b.Saturation / b.Snapshots, 3),
                ["waiting"] = b.Snapshots == 0 ? null : Math.Round((double)b.Waiting / b.Snapshots, 1),
                ["running"] = b.Snapshots == 0 ? null : Math.Round((double)b.Running / b.Snapshots, 1),
                ["queueDepth"] = b.QueueDepth,
            });
        }

        return timeline;
    }

    /// <summary>A decision slower than this waited for the queue; the ext_proc round trip itself takes about a millisecond.</summary>
    private const double AtOnceMs = 50;

    private static string WaitSplit(IEnumerable<Gateway.RequestRecord> records, RequestClass type)
    {
        var completed = records.Where(record => record.Class == type && record.Outcome == Gateway.RequestOutcome.Completed).ToArray();
        var atOnce = Distribution.Of(completed.Where(record => record.DecisionMs <= AtOnceMs).Select(record => record.TtftMs!.Value));
        var waited = Distribution.Of(completed.Where(record => record.DecisionMs > AtOnceMs).Select(record => record.TtftMs!.Value));
        return $"{atOnce?.Count ?? 0} at once (TTFT p50 {Distribution.Duration(atOnce?.P50)}, p99 {Distribution.Duration(atOnce?.P99)}) / "
            + $"{waited?.Count ?? 0} after waiting (TTFT p50 {Distribution.Duration(waited?.P50)}, p99 {Distribution.Duration(waited?.P99)})";
    }

    private static readonly (string Name, RequestClass? Type)[] Classes =
    [
        ("Critical", RequestClass.Critical),
        ("Sheddable", RequestClass.Sheddable),
        ("all", null),
    ];

    private static void Row(StringBuilder text, string measure, IEnumerable<string> values) =>
        text.AppendLine($"| {measure} | {string.Join(" | ", values)} |");

    private static string Ratio(double? value, double? against, Func<double?, string> format) =>
        value is { } v && against is { } a && a > 0
            ? string.Create(Invariant, $"{format(v)} against {format(a)} (× {v / a:0.00})")
            : "–";

    private static string PerSecond(double? value) => string.Create(Invariant, $"{value:0.0} req/s");

    private static string Count(double? value) => string.Create(Invariant, $"{value:0}");

    private sealed class Bucket
    {
        public int RoutedCritical { get; set; }

        public int RoutedSheddable { get; set; }

        public int Shed { get; set; }

        public int Expired { get; set; }

        public int Completed { get; set; }

        public int Snapshots { get; set; }

        public double Saturation { get; set; }

        public int Waiting { get; set; }

        public int Running { get; set; }

        public int? QueueDepth { get; set; }
    }
}
