using System.Text.Json.Nodes;

namespace Suite.Catalog.Status;

/// <summary>Writes a custom resource's <c>status</c> subresource.</summary>
internal interface IStatusApi
{
    /// <summary>Applies a JSON merge patch (<c>{"status": …}</c>) to the object's status subresource.</summary>
    Task PatchStatusAsync(StatusTarget target, JsonObject patch, CancellationToken cancellationToken);
}

/// <summary>One namespaced custom object.</summary>
internal readonly record struct StatusTarget(string Group, string Version, string Plural, string Namespace, string Name);
