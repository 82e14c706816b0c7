using Suite.Picker.Usage;

namespace Suite.Picker.ExtProc;

internal static partial class ExtProcLog
{
    [LoggerMessage(1, LogLevel.Debug, "Request {RequestId} for model {Model} at priority {Priority} in flow {FairnessId} routed to {Destination}. {Explanation}")]
    public static partial void Routed(
        ILogger logger, string requestId, string? model, int priority, string fairnessId, string destination, string? explanation);

    [LoggerMessage(EventId = 2, Message = "Request {RequestId} answered by the picker with {Status}: {Reason}")]
    public static partial void Rejected(ILogger logger, LogLevel level, string requestId, int status, string reason);

    [LoggerMessage(3, LogLevel.Debug, "Request {RequestId} served by {Endpoint}: {Usage}")]
    public static partial void Served(ILogger logger, string requestId, string endpoint, TokenUsage? usage);

    [LoggerMessage(4, LogLevel.Error, "ext_proc stream for request {RequestId} failed")]
    public static partial void StreamFailed(ILogger logger, string? requestId, Exception exception);

    [LoggerMessage(5, LogLevel.Debug, "ext_proc stream for request {RequestId} ended by the gateway before the response finished")]
    public static partial void StreamAbandoned(ILogger logger, string? requestId);

    [LoggerMessage(6, LogLevel.Debug, "Request {RequestId} names the inference objective {Objective}, which the catalog does not list: priority 0")]
    public static partial void UnknownObjective(ILogger logger, string requestId, string objective);

    [LoggerMessage(7, LogLevel.Debug, "Request {RequestId} declined, so the gateway applies the pool's failure mode: {Reason}")]
    public static partial void PoolDataExpired(ILogger logger, string? requestId, string reason);
}
