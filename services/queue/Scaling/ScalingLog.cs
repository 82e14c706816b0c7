namespace Suite.Queue.Scaling;

internal static partial class ScalingLog
{
    [LoggerMessage(1, LogLevel.Warning,
        "KEDA asked, for ScaledObject {Namespace}/{Name}, about pool {Pool}, which this queue replica owns but has not seen "
        + "(no pod-state snapshot, no request): it reads as 0 and inactive until it does. Is the trigger's pool the InferencePool's name?")]
    public static partial void UnseenPool(ILogger logger, string @namespace, string name, string pool);

    // Debug: KEDA retries every polling interval and shows the message in the ScaledObject's own status and events.
    [LoggerMessage(2, LogLevel.Debug, "KEDA sent invalid scalerMetadata for ScaledObject {Namespace}/{Name}: {Problem}")]
    public static partial void InvalidMetadata(ILogger logger, string @namespace, string name, string problem);

    [LoggerMessage(3, LogLevel.Debug, "StreamIsActive opened for ScaledObject {Namespace}/{Name} (pool {Pool})")]
    public static partial void StreamOpened(ILogger logger, string @namespace, string name, string pool);

    [LoggerMessage(4, LogLevel.Debug, "StreamIsActive closed for ScaledObject {Namespace}/{Name} (pool {Pool})")]
    public static partial void StreamClosed(ILogger logger, string @namespace, string name, string pool);

    [LoggerMessage(5, LogLevel.Warning,
        "KEDA asked, for ScaledObject {Namespace}/{Name}, about pool {Pool}, which queue shard {Owner} owns, not this replica: "
        + "answered FailedPrecondition. The trigger's scalerAddress must reach shard {Owner}")]
    public static partial void NotOwnedPool(ILogger logger, string @namespace, string name, string pool, int owner);
}
