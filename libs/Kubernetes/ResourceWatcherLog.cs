using Microsoft.Extensions.Logging;

namespace Suite.Kubernetes;

internal static partial class ResourceWatcherLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Listed {Count} {Resource} at resourceVersion {ResourceVersion}: {Added} added, {Modified} modified, {Deleted} deleted")]
    public static partial void Listed(ILogger logger, int count, string resource, string resourceVersion, int added, int modified, int deleted);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Listing {Resource} failed; retrying in {Delay}")]
    public static partial void ListFailed(ILogger logger, string resource, TimeSpan delay, Exception exception);

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "Watching {Resource} from resourceVersion {ResourceVersion}")]
    public static partial void WatchStarted(ILogger logger, string resource, string resourceVersion);

    [LoggerMessage(EventId = 4, Level = LogLevel.Debug, Message = "The watch of {Resource} ended after {Events} events; watching again from resourceVersion {ResourceVersion}")]
    public static partial void WatchEnded(ILogger logger, string resource, int events, string resourceVersion);

    [LoggerMessage(EventId = 5, Level = LogLevel.Debug, Message = "The watch of {Resource} ended without an event; watching again from resourceVersion {ResourceVersion} in {Delay}")]
    public static partial void WatchEndedEmpty(ILogger logger, string resource, string resourceVersion, TimeSpan delay);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "Watching {Resource} failed; watching again from resourceVersion {ResourceVersion} in {Delay}")]
    public static partial void WatchFailed(ILogger logger, string resource, string resourceVersion, TimeSpan delay, Exception exception);

    [LoggerMessage(EventId = 7, Level = LogLevel.Information, Message = "resourceVersion {ResourceVersion} of {Resource} has expired (410 Gone); listing again in {Delay}")]
    public static partial void Expired(ILogger logger, string resourceVersion, string resource, TimeSpan delay);

    [LoggerMessage(EventId = 8, Level = LogLevel.Warning, Message = "The watch of {Resource} was silent for {Silence}; watching again from resourceVersion {ResourceVersion}")]
    public static partial void WatchSilent(ILogger logger, string resource, TimeSpan silence, string resourceVersion);

    [LoggerMessage(EventId = 9, Level = LogLevel.Trace, Message = "{Type} {Key} at resourceVersion {ResourceVersion}")]
    public static partial void Applied(ILogger logger, ResourceChangeType type, string key, string resourceVersion);

    [LoggerMessage(EventId = 10, Level = LogLevel.Trace, Message = "Bookmark for {Resource} at resourceVersion {ResourceVersion}")]
    public static partial void Bookmark(ILogger logger, string resource, string resourceVersion);

    [LoggerMessage(EventId = 11, Level = LogLevel.Error, Message = "A handler of changes to {Resource} failed")]
    public static partial void HandlerFailed(ILogger logger, string resource, Exception exception);

    [LoggerMessage(EventId = 12, Level = LogLevel.Debug, Message = "Stopped watching {Resource}")]
    public static partial void Stopped(ILogger logger, string resource);

    [LoggerMessage(EventId = 13, Level = LogLevel.Information, Message = "{Resource} is not served by the API server (CRD not installed?); treated as empty, re-listing at least every {RelistInterval}")]
    public static partial void NotServed(ILogger logger, string resource, TimeSpan relistInterval);

    [LoggerMessage(EventId = 14, Level = LogLevel.Debug, Message = "Listing {Resource} was answered 404 Not Found; listing again in {Delay}")]
    public static partial void ListNotServed(ILogger logger, string resource, TimeSpan delay);

    [LoggerMessage(EventId = 15, Level = LogLevel.Information, Message = "{Resource} is served by the API server again")]
    public static partial void Served(ILogger logger, string resource);

    [LoggerMessage(EventId = 16, Level = LogLevel.Debug, Message = "The watch of {Resource} was answered 404 Not Found (CRD deleted?); listing again in {Delay}")]
    public static partial void WatchNotServed(ILogger logger, string resource, TimeSpan delay);
}
