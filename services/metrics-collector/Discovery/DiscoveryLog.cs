using Microsoft.Extensions.Logging;

namespace Suite.MetricsCollector.Discovery;

internal static partial class DiscoveryLog
{
    [LoggerMessage(EventId = 1100, Level = LogLevel.Information, Message = "Loaded {Path}: {PoolCount} pools, {EndpointCount} endpoints")]
    public static partial void ManifestLoaded(ILogger logger, string path, int poolCount, int endpointCount);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Error, Message = "Could not reload {Path}; keeping the previous pools: {Reason}")]
    public static partial void ManifestReloadFailed(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Debug, Message = "{Path} line {Line}: ignoring {ApiVersion} {Kind} {Name}")]
    public static partial void ManifestSkipped(ILogger logger, string path, long line, string apiVersion, string kind, string? name);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Warning, Message = "Skipping an invalid pool: {Problem}")]
    public static partial void InvalidPool(ILogger logger, string problem);
}
