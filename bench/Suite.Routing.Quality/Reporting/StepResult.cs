using System.Diagnostics;
using System.Text.Json.Nodes;
using Suite.Routing.Quality.Gateway;
using Suite.Routing.Quality.Runs;
using Suite.Routing.Quality.Workload;

namespace Suite.Routing.Quality.Reporting;

/// <summary>Figures of the requests of one class (all, or one objective) that arrived in one step.</summary>
internal sealed record ClassFigures(
    int Sent,
    int Completed,
    int Shed,
    int Errors,
    int Unfinished,
    Distribution? Ttft,
    Distribution? Tpot,
    Distribution? E2e,
    double OutputTokensPerSecond,
    double CompletedPerSecond,
    double PrefixHitRate,
    double DeliveredTokensPerSecond)
{
    /// <param name="delivered">Output tokens of requests (of any step) that completed within this step's window.</param>
    public static ClassFigures Of(IReadOnlyList<RequestRecord> records, double seconds, long delivered = 0)
    {
        int completed = 0, shed = 0, errors = 0, unfinished = 0;
        long output = 0, prompt = 0, cached = 0;
        var ttft = new List<double>();
        var tpot = new List<double>();
        var e2e = new List<double>();
        foreach (var record in records)
        {
            switch (record.Outcome)
            {
                case RequestOutcome.Completed:
                    completed++;
                    output += record.OutputTokens;
                    prompt += record.PromptTokens;
                    cached += record.CachedTokens;
                    ttft.Add(record.TtftMs!.Value);
                    e2e.Add(record.E2eMs!.Value);
                    if (record.TpotMs is { } perToken)
                    {
                        tpot.Add(perToken);
                    }

                    break;
                case RequestOutcome.Shed:
                    shed++;
                    break;
                case RequestOutcome.Unfinished:
                    unfinished++;

                    // Lower bounds: the request had waited this long when the run gave up on it.
                    ttft.Add(record.TtftMs ?? 0);
                    e2e.Add(record.E2eMs ?? 0);
                    break;
                default:
                    errors++;
                    break;
            }
        }

        return new ClassFigures(
            records.Count,
            completed,
            shed,
            errors,
            unfinished,
            Distribution.Of(ttft),
            Distribution.Of(tpot),
            Distribution.Of(e2e),
            output / seconds,
            completed / seconds,
            prompt == 0 ? 0 : (double)cached / prompt,
            delivered / seconds);
    }

    public JsonObject ToJson() => new()
    {
        ["sent"] = Sent,
        ["completed"] = Completed,
        ["shed"] = Shed,
        ["errors"] = Errors,
        ["unfinished"] = Unfinished,
        ["ttft_ms"] = Ttft?.ToJson(),
        ["tpot_ms"] = Tpot?.ToJson(),
        ["e2e_ms"] = E2e?.ToJson(),
        ["output_tokens_per_second"] = Math.Round(OutputTokensPerSecond, 1),
        ["delivered_output_tokens_per_second"] = Math.Round(DeliveredTokensPerSecond, 1),
        ["completed_per_second"] = Math.Round(CompletedPerSecond, 2),
        ["prefix_hit_rate"] = Math.Round(PrefixHitRate, 4),
    };
}

/// <summary>One ramp step of one strategy on one workload.</summary>
/// <param name="KvMean">Pool-average KV-cache use over the step's snapshots (averaged over time).</param>
/// <param name="KvMax">Highest KV-cache use any pod reported during the step.</param>
internal sealed record StepResult(int Step, double Rate, double Seconds, ClassFigures All, IReadOnlyDictionary<string, ClassFigures> ByObjective, double KvMean, double KvMax, int Snapshots)
{
    public static StepResult[] Of(RampTraffic traffic, IReadOnlyList<RampStep> steps, PoolWatch watch)
    {
        var results = new StepResult[steps.Count];
        var from = 0.0;
        for (var i = 0; i < steps.Count; i++)
        {
            var (rate, seconds) = steps[i];
            var step = i;
            var records = traffic.Records.Where(record => record.Request.Step == step).ToArray();
            var byObjective = records
                .Where(record => record.Request.Objective is not null)
                .GroupBy(record => record.Request.Objective!)
                .ToDictionary(group => group.Key, group => ClassFigures.Of([.. group], seconds), StringComparer.Ordinal);
            var start = traffic.Started + (long)(from * Stopwatch.Frequency);
            var samples = watch.Between(start, start + (long)(seconds * Stopwatch.Frequency));
            long delivered = 0;
            foreach (var record in traffic.Records)
            {
                if (record.Outcome == RequestOutcome.Completed && record.Request.AtSeconds + (record.E2eMs!.Value / 1000) is var end && end >= from && end < from + seconds)
                {
                    delivered += record.OutputTokens;
                }
            }

            results[i] = new StepResult(
                i,
                rate,
                seconds,
                ClassFigures.Of(records, seconds, delivered),
                byObjective,
                samples.Length == 0 ? 0 : samples.Average(sample => sample.MeanKvUsage),
                samples.Length == 0 ? 0 : samples.Max(sample => sample.MaxKvUsage),
                samples.Length);
            from += seconds;
        }

        return results;
    }

    public JsonObject ToJson()
    {
        var json = All.ToJson();
        json["step"] = Step;
        json["qps"] = Rate;
        json["seconds"] = Seconds;
        json["kv_usage_mean"] = Math.Round(KvMean, 4);
        json["kv_usage_max"] = Math.Round(KvMax, 4);
        json["pod_state_snapshots"] = Snapshots;
        if (ByObjective.Count > 0)
        {
            var classes = new JsonObject();
            foreach (var (objective, figures) in ByObjective.OrderBy(pair => pair.Key, StringComparer.Ordinal))
            {
                classes[objective] = figures.ToJson();
            }

            json["by_objective"] = classes;
        }

        return json;
    }
}

/// <summary>One strategy's ramp on one workload, or why it could not run.</summary>
/// <param name="PrefixHitRate">Cached prompt tokens over prompt tokens of every completed request of the run.</param>
internal sealed record StrategyRun(
    WorkloadDefinition Workload, Strategy Strategy, StepResult[] Steps, string? Unavailable, double WallSeconds, double PrefixHitRate, int Unfinished);
