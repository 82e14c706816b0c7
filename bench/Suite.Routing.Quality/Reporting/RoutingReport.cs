using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Suite.Routing.Quality.Runs;
using Suite.Routing.Quality.Workload;

namespace Suite.Routing.Quality.Reporting;

/// <summary>The run's results as markdown (tables, headline ratios, the issue's targets met or not) and as JSON.</summary>
internal sealed class RoutingReport(
    string command, RoutingOptions options, DateTimeOffset started, DateTimeOffset ended, string oursYaml, double? capacity, IReadOnlyList<StrategyRun> runs)
{
    private const string RoundRobin = "round-robin";
    private const string Reference = "reference-default";

    /// <summary>The headline step of a ramp: the first at which round-robin's TTFT p90 is 5× its first step's or it left requests unfinished; else the top step.</summary>
    public static (int Step, bool Exploded) Headline(IReadOnlyList<StrategyRun> workloadRuns)
    {
        var rr = workloadRuns.FirstOrDefault(run => run.Strategy.Name == RoundRobin && run.Unavailable is null);
        if (rr is null || rr.Steps.Length == 0)
        {
            return (workloadRuns.Where(run => run.Steps.Length > 0).Select(run => run.Steps.Length - 1).DefaultIfEmpty(0).Max(), false);
        }

        var baseline = rr.Steps[0].All.Ttft?.P90 ?? 0;
        for (var i = 0; i < rr.Steps.Length; i++)
        {
            var all = rr.Steps[i].All;
            if (all.Unfinished > 0 || (all.Ttft is { } ttft && baseline > 0 && ttft.P90 >= 5 * baseline))
            {
                return (i, true);
            }
        }

        return (rr.Steps.Length - 1, false);
    }

    public string Markdown(IReadOnlyList<string>? plots = null)
    {
        var text = new StringBuilder();
        text.AppendLine("# Routing quality: picker strategies on a simulated fleet");
        text.AppendLine();
        text.AppendLine(Invariant($"Command: `{ScriptCommand()}` (program: `{command}`)  "));
        text.AppendLine(Invariant($"Source: {options.Source ?? "not given"}  "));
        text.AppendLine(Invariant($"Run: {started:yyyy-MM-dd HH:mm:ss} to {ended:HH:mm:ss} UTC ({(ended - started).TotalMinutes:0.0} min) on {Environment.ProcessorCount} cores, everything in one process  "));
        text.AppendLine(Invariant($"Fleet: {options.Instances} × model-sim `{options.Preset}`, speedup {options.Speedup} (simulated time = wall time{(options.Speedup == 1 ? ", so the picker's and the transport's own costs weigh in at their real size" : $" × {options.Speedup}: latencies below are wall-clock, the picker's overhead is relatively {options.Speedup}× larger than it would be")}), collector scraping every {options.ScrapeIntervalMs} ms; each strategy starts a fresh fleet (cold caches) and fresh services; each request: ext_proc gRPC to an in-process picker (production hosting code) fed by the real collector over the in-memory bus, then a streamed chat completion to the pod it named."));
        text.AppendLine();
        text.AppendLine("How to read: TTFT and end-to-end latency are measured from each request's scheduled (Poisson) arrival; TPOT is (e2e − TTFT)/(output tokens − 1); throughput (out tok/s) is output tokens of the step's requests that completed, over the step's length, and delivered tok/s is output tokens of any requests that finished during the step's window, over its length (what the fleet actually produced then; the headline and the plots use it); prefix hit rate is Σ cached_tokens / Σ prompt_tokens from the pods' usage; KV is the pool's mean (over pods and the step's snapshots) and the highest any pod reported. Requests still unfinished when the drain ran out count in TTFT/e2e with the time they had waited (a lower bound). Shed = 429 (picker or pod).");
        text.AppendLine();
        text.AppendLine("Strategies (picker scheduling profiles, `Picker:ConfigFile`):");
        text.AppendLine();
        foreach (var name in runs.Select(run => run.Strategy).DistinctBy(strategy => strategy.Name))
        {
            text.AppendLine(Invariant($"- `{name.Name}`: {name.Label}"));
        }

        text.AppendLine();
        text.AppendLine("`ours` is `deploy/examples/picker-profile.yaml` as it stood at the run:");
        text.AppendLine();
        text.AppendLine("```yaml");
        text.AppendLine(oursYaml.TrimEnd());
        text.AppendLine("```");
        text.AppendLine();

        AppendHeadlines(text);

        foreach (var group in runs.GroupBy(run => run.Workload.Kind))
        {
            var workload = group.First().Workload;
            text.AppendLine(Invariant($"## Workload `{workload.Name}`"));
            text.AppendLine();
            text.AppendLine(Invariant($"- Shape: {workload.Shape}"));
            text.AppendLine(Invariant($"- Mirrors: {workload.Mirrors}"));
            text.AppendLine(Invariant($"- Engine (per-run overrides of the preset): {workload.Engine}"));
            if (workload.Kind == WorkloadKind.MixedPriority)
            {
                text.AppendLine(Invariant($"- Offered: {group.First().Steps.FirstOrDefault()?.Rate:0.#} req/s = 2 × capacity {capacity:0.#} req/s ({(options.Capacity > 0 ? "--capacity" : "the highest chat step at which a strategy kept TTFT p90 under 1 s in this run")})"));
            }

            foreach (var plot in plots?.Where(plot => plot.Contains($"-{workload.Name}-", StringComparison.Ordinal)) ?? [])
            {
                text.AppendLine(Invariant($"- Plot: ![{Path.GetFileName(plot)}]({Path.GetFileName(plot)})"));
            }

            text.AppendLine();
            text.AppendLine("| strategy | req/s | sent | done | shed | err | unfin. | TTFT p50 | TTFT p90 | TTFT p99 | TPOT p50 | TPOT p90 | e2e p50 | e2e p90 | e2e p99 | out tok/s | delivered tok/s | prefix hits | KV mean / max |");
            text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var run in group)
            {
                if (run.Unavailable is not null)
                {
                    text.AppendLine(Invariant($"| {run.Strategy.Name} | not run: {run.Unavailable.Replace('|', '/').Replace('\n', ' ')} |||||||||||||||||"));
                    continue;
                }

                foreach (var step in run.Steps)
                {
                    var a = step.All;
                    text.AppendLine(Invariant($"| {run.Strategy.Name} | {step.Rate:0.#} | {a.Sent} | {a.Completed} | {a.Shed} | {a.Errors} | {a.Unfinished} | {Distribution.Ms(a.Ttft?.P50)} | {Distribution.Ms(a.Ttft?.P90)} | {Distribution.Ms(a.Ttft?.P99)} | {a.Tpot?.P50:0.0} | {a.Tpot?.P90:0.0} | {Distribution.Ms(a.E2e?.P50)} | {Distribution.Ms(a.E2e?.P90)} | {Distribution.Ms(a.E2e?.P99)} | {a.OutputTokensPerSecond:0} | {a.DeliveredTokensPerSecond:0} | {a.PrefixHitRate:P1} | {step.KvMean:P0} / {step.KvMax:P0} |"));
                }
            }

            if (workload.Kind == WorkloadKind.MixedPriority)
            {
                text.AppendLine();
                text.AppendLine("| strategy | objective | sent | done | shed | err | unfin. | TTFT p50 | TTFT p90 | TTFT p99 | e2e p90 | out tok/s |");
                text.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
                foreach (var run in group.Where(run => run.Unavailable is null))
                {
                    foreach (var (objective, a) in run.Steps.SelectMany(step => step.ByObjective).OrderBy(pair => pair.Key, StringComparer.Ordinal))
                    {
                        text.AppendLine(Invariant($"| {run.Strategy.Name} | {objective} | {a.Sent} | {a.Completed} | {a.Shed} | {a.Errors} | {a.Unfinished} | {Distribution.Ms(a.Ttft?.P50)} | {Distribution.Ms(a.Ttft?.P90)} | {Distribution.Ms(a.Ttft?.P99)} | {Distribution.Ms(a.E2e?.P90)} | {a.OutputTokensPerSecond:0} |"));
                    }
                }
            }

            text.AppendLine();
        }

        text.AppendLine("Times in ms unless marked s; TPOT in ms.");
        return text.ToString();
    }

    public JsonObject Json()
    {
        var workloads = new JsonObject();
        foreach (var group in runs.GroupBy(run => run.Workload.Kind))
        {
            var workload = group.First().Workload;
            var strategies = new JsonObject();
            foreach (var run in group)
            {
                var steps = new JsonArray();
                foreach (var step in run.Steps)
                {
                    steps.Add(step.ToJson());
                }

                strategies[run.Strategy.Name] = new JsonObject
                {
                    ["label"] = run.Strategy.Label,
                    ["profile_yaml"] = run.Strategy.ProfileYaml,
                    ["replicas"] = run.Strategy.Replicas,
                    ["unavailable"] = run.Unavailable,
                    ["wall_seconds"] = Math.Round(run.WallSeconds, 1),
                    ["prefix_hit_rate"] = Math.Round(run.PrefixHitRate, 4),
                    ["unfinished"] = run.Unfinished,
                    ["steps"] = steps,
                };
            }

            var (headline, exploded) = Headline([.. group]);
            workloads[workload.Name] = new JsonObject
            {
                ["shape"] = workload.Shape,
                ["mirrors"] = workload.Mirrors,
                ["engine_overrides"] = workload.Engine,
                ["headline_step"] = headline,
                ["round_robin_exploded"] = exploded,
                ["strategies"] = strategies,
            };
        }

        var targets = new JsonArray();
        foreach (var target in Targets())
        {
            targets.Add(new JsonObject { ["target"] = target.Text, ["value"] = target.Value is { } v ? Math.Round(v, 4) : null, ["met"] = target.Met });
        }

        return new JsonObject
        {
            ["command"] = command,
            ["source"] = options.Source,
            ["started"] = started.ToString("O", CultureInfo.InvariantCulture),
            ["ended"] = ended.ToString("O", CultureInfo.InvariantCulture),
            ["cores"] = Environment.ProcessorCount,
            ["preset"] = options.Preset,
            ["instances"] = options.Instances,
            ["speedup"] = options.Speedup,
            ["scrape_interval_ms"] = options.ScrapeIntervalMs,
            ["seed"] = options.Seed,
            ["quick"] = options.Quick,
            ["mixed_priority_capacity"] = capacity,
            ["ours_profile_yaml"] = oursYaml,
            ["targets"] = targets,
            ["workloads"] = workloads,
        };
    }

    private void AppendHeadlines(StringBuilder text)
    {
        text.AppendLine("## Headline figures");
        text.AppendLine();
        text.AppendLine("Per workload, at the headline step (the first at which round-robin's TTFT p90 reached 5× its first step's, or it left requests unfinished; otherwise the top step), and at the top step when that is another. Ratios are ours ÷ the other; prefix hits are over the whole run. Where the targets are judged: shared-prefix at the top step, the load the workload is sized for (its prefixes then nearly fill the fleet's KV), provided round-robin had exploded by then (the first such step is shown too); chat at the sustained chat-saturation step when it ran (else at chat's headline step); multi-LoRA at its headline step.");
        text.AppendLine();
        text.AppendLine("| workload | step | RR exploded | TTFT p90 RR | TTFT p90 reference | TTFT p90 ours | ours/RR TTFT p90 | ours/ref TTFT p90 | delivered tok/s RR | ref | ours | ours/RR tok/s | ours/ref tok/s | e2e p90 RR | e2e p90 ours | ours/RR e2e p90 | prefix hits RR / ref / ours |");
        text.AppendLine("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var group in runs.GroupBy(run => run.Workload.Kind))
        {
            var list = group.ToList();
            var (headline, exploded) = Headline(list);
            var top = list.Select(run => run.Steps.Length - 1).DefaultIfEmpty(0).Max();
            var rows = group.Key == WorkloadKind.ChatSaturation
                ? [(0, Invariant($"sustained {list[0].Steps.FirstOrDefault()?.Seconds:0} s at {WorkloadDefinition.SaturationShare:P0} of capacity"))]
                : headline == top || top < 0 ? [(headline, exploded ? "yes" : "no (top step)")] : new[] { (headline, "yes"), (top, "top step") };
            foreach (var (step, label) in rows)
            {
                var rr = At(list, RoundRobin, step);
                var reference = At(list, Reference, step);
                var ours = At(list, Strategy.Ours, step);
                text.AppendLine(Invariant(
                    $"| {group.First().Workload.Name} | {rr?.Rate ?? ours?.Rate:0.#} req/s | {label} | {Distribution.Ms(rr?.All.Ttft?.P90)} | {Distribution.Ms(reference?.All.Ttft?.P90)} | {Distribution.Ms(ours?.All.Ttft?.P90)} | {Ratio(ours?.All.Ttft?.P90, rr?.All.Ttft?.P90)} | {Ratio(ours?.All.Ttft?.P90, reference?.All.Ttft?.P90)} | {rr?.All.DeliveredTokensPerSecond:0} | {reference?.All.DeliveredTokensPerSecond:0} | {ours?.All.DeliveredTokensPerSecond:0} | {Ratio(ours?.All.DeliveredTokensPerSecond, rr?.All.DeliveredTokensPerSecond)} | {Ratio(ours?.All.DeliveredTokensPerSecond, reference?.All.DeliveredTokensPerSecond)} | {Distribution.Ms(rr?.All.E2e?.P90)} | {Distribution.Ms(ours?.All.E2e?.P90)} | {Ratio(ours?.All.E2e?.P90, rr?.All.E2e?.P90)} | {Hits(list, RoundRobin)} / {Hits(list, Reference)} / {Hits(list, Strategy.Ours)} |"));
            }
        }

        text.AppendLine();
        text.AppendLine("Targets set by the issue (same run):");
        text.AppendLine();
        foreach (var target in Targets())
        {
            var verdict = target.Met switch
            {
                true => "**met**",
                false => "**not met**",
                null => "not measured",
            };
            text.AppendLine(Invariant($"- {target.Text}: {(target.Value is { } v ? v.ToString("0.###", CultureInfo.InvariantCulture) : "–")} — {verdict}{(target.Note is null ? "" : $" ({target.Note})")}"));
        }

        text.AppendLine();
    }

    private IEnumerable<Target> Targets()
    {
        var prefix = runs.Where(run => run.Workload.Kind == WorkloadKind.SharedPrefix).ToList();
        var chat = runs.Where(run => run.Workload.Kind == WorkloadKind.Chat).ToList();
        var lora = runs.Where(run => run.Workload.Kind == WorkloadKind.MultiLora).ToList();

        var (first, exploded) = Headline(prefix);
        var top = prefix.Select(run => run.Steps.Length - 1).DefaultIfEmpty(0).Max();
        var ps = exploded ? top : first;
        var alsoAt = exploded && first != top ? first : -1;
        yield return Compare("shared-prefix: ours TTFT p90 ≤ 1/20 of round-robin's", prefix, ps, Strategy.Ours, RoundRobin, s => s.All.Ttft?.P90, value => value <= 0.05, alsoAt);
        yield return Compare("shared-prefix: ours TTFT p90 ≤ 1/2 of reference's", prefix, ps, Strategy.Ours, Reference, s => s.All.Ttft?.P90, value => value <= 0.5, alsoAt);
        yield return Compare("shared-prefix: ours output throughput ≥ 1.8× round-robin's", prefix, ps, Strategy.Ours, RoundRobin, s => s.All.DeliveredTokensPerSecond, value => value >= 1.8, alsoAt);
        var saturation = runs.Where(run => run.Workload.Kind == WorkloadKind.ChatSaturation).ToList();
        yield return saturation.Count > 0
            ? Compare("chat: ours e2e p90 ≤ 0.8× round-robin's at saturation (sustained step)", saturation, 0, Strategy.Ours, RoundRobin, s => s.All.E2e?.P90, value => value <= 0.8)
            : Compare("chat: ours e2e p90 ≤ 0.8× round-robin's at saturation (no sustained step in this run: chat's headline step)", chat, Headline(chat).Step, Strategy.Ours, RoundRobin, s => s.All.E2e?.P90, value => value <= 0.8);
        var (ls, _) = Headline(lora);
        yield return Compare("multi-lora: ours TTFT p90 ≤ 0.5× round-robin's", lora, ls, Strategy.Ours, RoundRobin, s => s.All.Ttft?.P90, value => value <= 0.5);

        var one = prefix.FirstOrDefault(run => run.Strategy.Name == Strategy.Ours && run.Unavailable is null);
        var two = prefix.FirstOrDefault(run => run.Strategy.Name == Strategy.OursTwoReplicas && run.Unavailable is null);
        yield return one is null || two is null || one.PrefixHitRate == 0
            ? new Target("shared-prefix: two replicas' prefix hit rate ≥ 95% of one replica's", null, null, "a run is missing or one replica had no hits")
            : new Target(
                "shared-prefix: two replicas' prefix hit rate ≥ 95% of one replica's",
                two.PrefixHitRate / one.PrefixHitRate,
                two.PrefixHitRate / one.PrefixHitRate >= 0.95,
                Invariant($"one replica {one.PrefixHitRate:P1}, two {two.PrefixHitRate:P1}"));
    }

    /// <param name="alsoAt">Another step whose ratio the note shows too (not judged), or -1.</param>
    private static Target Compare(string text, List<StrategyRun> runs, int step, string ours, string other, Func<StepResult, double?> figure, Func<double, bool> met, int alsoAt = -1)
    {
        var a = At(runs, ours, step);
        var b = At(runs, other, step);
        if (a is null || b is null || figure(a) is not { } x || figure(b) is not { } y || y == 0)
        {
            return new Target(text, null, null, $"{(a is null ? ours : other)} not run");
        }

        var note = Invariant($"at {a.Rate:0.#} req/s: {x:0.#} vs {y:0.#}");
        if (alsoAt >= 0 && At(runs, ours, alsoAt) is { } c && At(runs, other, alsoAt) is { } d && figure(c) is { } cx && figure(d) is { } dy && dy > 0)
        {
            note += Invariant($"; at {c.Rate:0.#} req/s, where round-robin first exploded: {cx / dy:0.###} ({cx:0.#} vs {dy:0.#})");
        }

        return new Target(text, x / y, met(x / y), note);
    }

    private static StepResult? At(List<StrategyRun> runs, string name, int step) =>
        runs.FirstOrDefault(run => run.Strategy.Name == name && run.Unavailable is null && run.Steps.Length > step)?.Steps[step];

    private static string Hits(List<StrategyRun> runs, string name) =>
        runs.FirstOrDefault(run => run.Strategy.Name == name && run.Unavailable is null) is { } run ? Invariant($"{run.PrefixHitRate:P1}") : "–";

    private static string Ratio(double? a, double? b) => a is { } x && b is { } y && y > 0 ? Invariant($"{x / y:0.00}") : "–";

    /// <summary>The script's command line: the program's arguments without the --source and --out the script adds.</summary>
    private string ScriptCommand()
    {
        var words = command.Split(' ').Skip(1).ToList();
        var kept = new List<string>();
        for (var i = 0; i < words.Count; i++)
        {
            if (words[i] is "--out")
            {
                i++;
            }
            else if (words[i] is "--source")
            {
                // The source text has spaces: skip to the next flag.
                while (i + 1 < words.Count && !words[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    i++;
                }
            }
            else
            {
                kept.Add(words[i]);
            }
        }

        var file = Path.GetFileName(options.OutPrefix ?? "");
        var suffix = file.StartsWith("routing-quality-", StringComparison.Ordinal) ? file["routing-quality-".Length..] : "";
        var name = suffix is "" or "quick" or "full" or "custom" ? "" : $"NAME={suffix} ";
        return $"{name}bench/routing-quality.sh {string.Join(' ', kept)}".TrimEnd();
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private sealed record Target(string Text, double? Value, bool? Met, string? Note = null);
}
