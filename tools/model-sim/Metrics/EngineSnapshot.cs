using Suite.ModelSim.Engine;

namespace Suite.ModelSim.Metrics;

/// <summary>Everything a scrape reports, copied under the engine's lock so the text is written without it.</summary>
internal sealed record EngineSnapshot(
    int Waiting,
    int Running,
    double KvCacheUsage,
    string[] RunningAdapters,
    string[] WaitingAdapters,
    EngineTelemetry Telemetry)
{
    public static EngineSnapshot Take(EngineCore core) => new(
        core.WaitingCount,
        core.RunningCount,
        core.KvCacheUsage,
        [.. core.RunningAdapters.Order(StringComparer.Ordinal)],
        [.. core.WaitingAdapters.Order(StringComparer.Ordinal)],
        core.Telemetry.Copy());
}
