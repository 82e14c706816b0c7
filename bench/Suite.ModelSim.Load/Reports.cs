using System.Runtime.InteropServices;

namespace Suite.ModelSim.Load;

internal sealed record MachineInfo(int ProcessorCount, string Os, string Runtime)
{
    public static MachineInfo Current { get; } =
        new(Environment.ProcessorCount, RuntimeInformation.OSDescription, RuntimeInformation.FrameworkDescription);
}

/// <summary>One concurrency level of the sweep.</summary>
/// <param name="WarmupSeconds">Load before the window: at least the minimum, and until every worker had finished two requests.</param>
/// <param name="DrainSeconds">How long the engine took to show no running or waiting request after the level's
/// streams were cancelled; null if it did not within the limit (it still held requests nobody waited for).</param>
internal sealed record SweepLevel(int Concurrency, double WarmupSeconds, RequestStats Requests, EngineLoadSummary Engine, CpuCores Cpu, double? DrainSeconds);

internal sealed record SweepReport(
    string Command,
    DateTimeOffset StartedAt,
    MachineInfo Machine,
    string Target,
    string Model,
    int PromptTokens,
    int OutputTokens,
    double MinimumWarmupSeconds,
    double SecondsPerLevel,
    List<SweepLevel> Levels);

/// <param name="WarmupSeconds">Load before the window: at least the minimum, and until every stream had finished two requests.</param>
/// <param name="SimulatorCoresPerThousandTokensPerSecond">Simulator CPU cores per 1,000 output tokens/s streamed: the
/// fleet's CPU price of its traffic.</param>
/// <param name="SimulatorRssMiB">Resident memory at the end of the window; <paramref name="SimulatorPeakRssMiB"/> is
/// the highest since start (VmHWM).</param>
internal sealed record CostReport(
    string Command,
    DateTimeOffset StartedAt,
    MachineInfo Machine,
    string SimulatorCommand,
    string Preset,
    int Instances,
    string Model,
    int Streams,
    int PromptTokens,
    int OutputTokens,
    double WarmupSeconds,
    RequestStats Requests,
    CpuCores Cpu,
    double? SimulatorCoresPerThousandTokensPerSecond,
    double? SimulatorRssMiB,
    double? SimulatorPeakRssMiB,
    string SimulatorStopped);
