using System.Globalization;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Suite.Catalog.Resolution;
using Suite.Catalog.Sources;
using Suite.Kubernetes.Resources;

namespace Suite.Catalog.Status;

/// <summary>
/// Writes each catalog object's <c>Accepted</c> condition back to Kubernetes when it differs from what the object
/// shows (status, reason, message or observed generation). Other condition types on the object are kept. A failed
/// write is logged and tried again on the next pass; only the leader calls this.
/// </summary>
internal sealed partial class StatusWriter(IStatusApi api, TimeProvider time, ILogger<StatusWriter> logger)
{
    public const string ConditionType = "Accepted";

    // What this replica wrote and the watch may not show yet, so a quick second pass does not write it again; with the
    // resourceVersion it was written over, since any other version (the object recreated, or its status replaced
    // while the watch was away) does not carry the write.
    private readonly Dictionary<string, (AcceptedCondition Condition, long Generation, string? Over)> _written = new(StringComparer.Ordinal);

    /// <summary>Forgets what was written: a new leader checks everything against what the objects show.</summary>
    public void Reset()
    {
        lock (_written)
        {
            _written.Clear();
        }
    }

    /// <summary>Writes every condition that changed; returns how many writes failed.</summary>
    public async Task<int> WriteAsync(CatalogResources resources, CatalogResolution resolution, CancellationToken cancellationToken)
    {
        var failed = 0;
        foreach (var (key, target, metadata, status) in Objects(resources))
        {
            if (!resolution.Conditions.TryGetValue(key, out var desired))
            {
                continue;
            }

            var generation = metadata.Generation ?? 0;
            var shown = status?.Conditions?.FirstOrDefault(c => c.Type == ConditionType);
            if (Shows(shown, desired, generation))
            {
                Remember(key, null);
                continue;
            }

            lock (_written)
            {
                if (_written.TryGetValue(key, out var written) && written == (desired, generation, metadata.ResourceVersion))
                {
                    continue;
                }
            }

            try
            {
                await api.PatchStatusAsync(target, Patch(status, shown, desired, generation), cancellationToken);
                Remember(key, (desired, generation, metadata.ResourceVersion));
                LogWritten(key, desired.Accepted ? "True" : "False", desired.Reason);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                failed++;
                LogWriteFailed(key, e.Message);
            }
        }

        return failed;
    }

    private void Remember(string key, (AcceptedCondition, long, string?)? written)
    {
        lock (_written)
        {
            if (written is { } value)
            {
                _written[key] = value;
            }
            else
            {
                _written.Remove(key);
            }
        }
    }

    private static bool Shows(V1Condition? shown, AcceptedCondition desired, long generation) =>
        shown is not null
        && shown.Status == (desired.Accepted ? "True" : "False")
        && shown.Reason == desired.Reason
        && shown.Message == desired.Message
        && (shown.ObservedGeneration ?? 0) == generation;

    /// <summary>A merge patch replaces the whole list, so the other condition types go back in as they were.</summary>
    private JsonObject Patch(InferenceCatalogStatus? status, V1Condition? shown, AcceptedCondition desired, long generation)
    {
        var statusText = desired.Accepted ? "True" : "False";
        var transition = shown is not null && shown.Status == statusText ? shown.LastTransitionTime : time.GetUtcNow().UtcDateTime;
        var conditions = new JsonArray();
        foreach (var other in status?.Conditions?.Where(c => c.Type != ConditionType) ?? [])
        {
            conditions.Add(JsonNode.Parse(KubernetesJson.Serialize(other)));
        }

        conditions.Add(new JsonObject
        {
            ["type"] = ConditionType,
            ["status"] = statusText,
            ["reason"] = desired.Reason,
            ["message"] = desired.Message,
            ["observedGeneration"] = generation,
            ["lastTransitionTime"] = transition.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        });
        return new JsonObject { ["status"] = new JsonObject { ["conditions"] = conditions } };
    }

    private static IEnumerable<(string Key, StatusTarget Target, V1ObjectMeta Metadata, InferenceCatalogStatus? Status)> Objects(CatalogResources resources)
    {
        foreach (var model in resources.Models)
        {
            yield return Entry(InferenceModel.KubeKind, InferenceModel.KubeGroup, InferenceModel.KubeApiVersion, InferenceModel.KubePluralName, model.Metadata, model.Status);
        }

        foreach (var objective in resources.Objectives)
        {
            yield return Entry(InferenceObjective.KubeKind, InferenceObjective.KubeGroup, InferenceObjective.KubeApiVersion, InferenceObjective.KubePluralName, objective.Metadata, objective.Status);
        }

        foreach (var rewrite in resources.Rewrites)
        {
            yield return Entry(InferenceModelRewrite.KubeKind, InferenceModelRewrite.KubeGroup, InferenceModelRewrite.KubeApiVersion, InferenceModelRewrite.KubePluralName, rewrite.Metadata, rewrite.Status);
        }

        static (string, StatusTarget, V1ObjectMeta, InferenceCatalogStatus?) Entry(
            string kind, string group, string version, string plural, V1ObjectMeta metadata, InferenceCatalogStatus? status)
        {
            return (ResourceKeys.Of(kind, metadata), new StatusTarget(group, version, plural, ResourceKeys.NamespaceOf(metadata), metadata.Name), metadata, status);
        }
    }

    [LoggerMessage(1, LogLevel.Information, "{Resource}: wrote Accepted={Status} ({Reason})")]
    private partial void LogWritten(string resource, string status, string reason);

    [LoggerMessage(2, LogLevel.Warning, "{Resource}: writing its status failed; it is tried again: {Problem}")]
    private partial void LogWriteFailed(string resource, string problem);
}
