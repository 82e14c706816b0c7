using System.Text.Json.Serialization;

namespace Suite.Picker.LoadTest;

/// <summary>One open-loop run at one rate.</summary>
/// <param name="AchievedRate">Successful exchanges per second, from the first scheduled start to the last completion.</param>
/// <param name="DecisionFromScheduledMs">Scheduled start → request-headers answer (the routing decision); includes any queueing.</param>
/// <param name="DecisionFromSendMs">Request headers sent → request-headers answer; the generator's own lateness excluded.</param>
/// <param name="ExchangeFromScheduledMs">Scheduled start → stream closed by the picker after the response headers.</param>
/// <param name="GeneratorLagMs">How late the load generator sent each request against its schedule.</param>
/// <param name="PickerCpuCores">Picker CPU time / wall time over the run, when its pid was given.</param>
/// <param name="MachineBusyCores">All busy CPU on the machine / wall time; near the core count means the run was CPU-bound.</param>
/// <param name="Intervals">With <c>--report-every</c>: the run cut by scheduled start into intervals.</param>
/// <param name="Drift">With <c>--report-every</c>: how memory and latency moved from the first full interval to the last.</param>
internal sealed record RunReport(
    string Phase,
    double TargetRate,
    double DurationSeconds,
    int Scheduled,
    int Succeeded,
    int Errors,
    SortedDictionary<string, int> ErrorKinds,
    double AchievedRate,
    double ElapsedSeconds,
    LatencySummary DecisionFromScheduledMs,
    LatencySummary DecisionFromSendMs,
    LatencySummary ExchangeFromScheduledMs,
    LatencySummary GeneratorLagMs,
    double? PickerCpuCores,
    double GeneratorCpuCores,
    double? MachineBusyCores,
    List<IntervalReport>? Intervals = null,
    DriftSummary? Drift = null);

internal sealed record FindMaxReport(string Criterion, double? MaxSustainedRate, string? StoppedBecause);

internal sealed record MachineReport(int ProcessorCount, string Os, string Runtime);

internal sealed record LoadTestReport(
    string Command,
    DateTimeOffset StartedAt,
    MachineReport Machine,
    string Target,
    int Connections,
    int PromptBytes,
    int[] BodyBytes,
    int BodyChunkBytes,
    string[] Models,
    double WarmupSeconds,
    double? ReportEverySeconds,
    string? PickerMetrics,
    Dictionary<string, string>? PickerSeries,
    List<RunReport> Runs,
    FindMaxReport? FindMax);

[JsonSourceGenerationOptions(
    WriteIndented = true,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(LoadTestReport))]
internal sealed partial class LoadTestJsonContext : JsonSerializerContext;
