extern alias Queue;

using System.Reflection;
using Queue::Suite.Queue.Hosting;

namespace Suite.Deploy.Tests.Apps;

/// <summary>
/// A KEDA trigger's metadata read by the queue's own parser (Suite.Queue.Scaling.ScalerQuery, internal, reached by
/// reflection), so the manifests are held to what the external scaler accepts rather than to a copy of its rules.
/// </summary>
internal static class QueueScalerMetadata
{
    private static readonly MethodInfo TryParse = typeof(QueueOptions).Assembly
        .GetType("Suite.Queue.Scaling.ScalerQuery", throwOnError: true)!
        .GetMethod("TryParse", BindingFlags.Public | BindingFlags.Static)!;

    /// <summary>The queue's answer to bad metadata (InvalidArgument's message); null when it accepts it.</summary>
    public static string? Problem(IReadOnlyDictionary<string, string> metadata)
    {
        object?[] arguments = [metadata, null, null];
        return (bool)TryParse.Invoke(null, arguments)! ? null : (string?)arguments[2];
    }
}
