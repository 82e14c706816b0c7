namespace Suite.Collector.Load.Cost;

/// <summary>The collector process over one measured window.</summary>
/// <param name="PeakRssMiB">VmHWM: the largest RSS since the collector started.</param>
internal sealed record CollectorUsage(double? CpuCores, double? RssMiB, double? RssMaxInWindowMiB, double? PeakRssMiB, double? Threads);

/// <summary>Scrapes counted from the collector's TCP connections to the fleet (<see cref="TcpConnectionCounters"/>).</summary>
/// <param name="RoundsPerSecond">Scrapes per second per endpoint: the rounds each endpoint actually got.</param>
/// <param name="BytesSentPerScrape">About 70 for one GET per data segment; much more would mean the count is off.</param>
internal sealed record CountedScrapes(
    double PerSecond, double RoundsPerSecond, double BytesSentPerScrape, double BytesReceivedPerScrape, int Connections, int Opened, int Closed);

/// <summary>The same window as the collector's own meter reports it (<see cref="CollectorSelfMetrics"/>).</summary>
internal sealed record ReportedScrapes(
    double OkPerSecond, double FailedPerSecond, double RoundsPerSecond, double MeanRoundMs, double MeanScrapeMs, double SnapshotsPerSecond);

internal sealed record TrafficResult(double TargetRate, double CompletedPerSecond, long Failed, IReadOnlyDictionary<string, long> FailureKinds);

internal sealed record CostPhase(
    string Phase,
    double WindowSeconds,
    CollectorUsage Collector,
    CountedScrapes? Scrapes,
    ReportedScrapes? CollectorReported,
    double? CollectorCpuMicrosecondsPerScrape,
    double? SimulatorCpuCores,
    double LoadProgramCpuCores,
    double? MachineBusyCores,
    int MachineCores,
    TrafficResult? Traffic);

internal sealed record CostSettings(
    int Instances,
    int FleetPort,
    double ScrapeIntervalMs,
    double WarmupSeconds,
    double WindowSeconds,
    double LoadRate,
    int MaxTokens,
    string Model,
    double TargetCores);

internal sealed record CostResult(string Command, string StartedAt, CostSettings Settings, IReadOnlyList<CostPhase> Phases);
