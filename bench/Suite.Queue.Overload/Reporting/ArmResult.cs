using Suite.Queue.Overload.Gateway;
using Suite.Queue.Overload.Observation;
using Suite.Queue.Overload.Runs;
using Suite.Queue.Overload.Workload;

namespace Suite.Queue.Overload.Reporting;

/// <summary>Everything one arm produced: the requests, what the pool and the queue looked like, the services' counts.</summary>
/// <param name="Counts">This arm's picker's and the queue's counters over the arm (deltas), keyed "service instrument label".</param>
/// <param name="QueueWaits">The queue's waits of the requests it admitted during the arm, seconds.</param>
internal sealed record ArmResult(
    ArmDefinition Arm,
    double OfferedRate,
    double DurationSeconds,
    ArmTraffic Traffic,
    PoolSample[] Pool,
    PressureSample[] Pressure,
    IReadOnlyDictionary<string, long> Counts,
    double[] QueueWaits,
    double ProcessCores,
    double? MachineCores)
{
    public ClassSummary Summarize(RequestClass? only, double ttftSloMs) =>
        ClassSummary.Of(only is { } type ? Traffic.Records.Where(record => record.Class == type) : Traffic.Records, DurationSeconds, ttftSloMs);
}

/// <summary>One class's requests in one arm, as the report's tables give them.</summary>
/// <param name="Routed">The picker named a pod (whatever happened there).</param>
/// <param name="Shed">Answered 429 by the picker (request shed, queue full, or nothing schedulable).</param>
/// <param name="Expired">Answered 503 by the picker because the wait in the queue reached its deadline.</param>
/// <param name="OtherErrors">Everything else that did not complete, by kind.</param>
/// <param name="CompletedPerSecond">Completed requests per second of arrivals.</param>
/// <param name="GoodputPerSecond">Completed requests whose TTFT met the SLO, per second of arrivals.</param>
internal sealed record ClassSummary(
    int Sent,
    int Routed,
    int Completed,
    int Shed,
    int Expired,
    IReadOnlyDictionary<string, int> OtherErrors,
    Distribution? Ttft,
    Distribution? EndToEnd,
    Distribution? Decision,
    double CompletedPerSecond,
    double GoodputPerSecond,
    double OutputTokensPerSecond)
{
    public int OtherErrorCount => OtherErrors.Values.Sum();

    public double ShedRate => Sent == 0 ? 0 : (double)Shed / Sent;

    public static ClassSummary Of(IEnumerable<RequestRecord> records, double durationSeconds, double ttftSloMs)
    {
        var all = records.ToArray();
        var completed = all.Where(record => record.Outcome == RequestOutcome.Completed).ToArray();
        var shed = all.Count(IsShed);
        var other = all
            .Where(record => record.Outcome is not (RequestOutcome.Completed or RequestOutcome.Expired) && !IsShed(record))
            .GroupBy(record => $"{record.Outcome}: {record.Detail}")
            .ToDictionary(group => group.Key, group => group.Count(), StringComparer.Ordinal);
        return new ClassSummary(
            all.Length,
            all.Count(record => record.Endpoint is not null),
            completed.Length,
            shed,
            all.Count(record => record.Outcome == RequestOutcome.Expired),
            other,
            Distribution.Of(completed.Select(record => record.TtftMs!.Value)),
            Distribution.Of(completed.Select(record => record.E2eMs!.Value)),
            Distribution.Of(all.Where(record => record.Endpoint is not null && record.DecisionMs is not null).Select(record => record.DecisionMs!.Value)),
            completed.Length / durationSeconds,
            completed.Count(record => record.TtftMs <= ttftSloMs) / durationSeconds,
            completed.Sum(record => (long)record.OutputTokens) / durationSeconds);
    }

    private static bool IsShed(RequestRecord record) =>
        record.Outcome is RequestOutcome.Shed or RequestOutcome.QueueFull
        || (record.Outcome == RequestOutcome.PickerRejected && record.Detail?.StartsWith("429", StringComparison.Ordinal) == true);
}
