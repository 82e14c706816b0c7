using System.Text.Json;
using System.Text.Json.Serialization;

namespace Suite.Kubernetes.Tests.Fakes;

/// <summary>The JSON the API server sends: objects, lists, watch events and Status errors, in their wire shape.</summary>
internal static class KubeJson
{
    private static readonly JsonSerializerOptions Options = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public static object Pod(string name, string resourceVersion, bool ready = true, string ns = "default", string ip = "10.0.0.1") => new
    {
        apiVersion = "v1",
        kind = "Pod",
        metadata = new { name, @namespace = ns, resourceVersion, labels = new Dictionary<string, string> { ["app"] = "vllm" } },
        spec = new { containers = new[] { new { name = "vllm", image = "vllm/vllm-openai" } } },
        status = new
        {
            phase = "Running",
            podIP = ip,
            conditions = new[] { new { type = "Ready", status = ready ? "True" : "False" } },
        },
    };

    public static object Pool(string name, string resourceVersion, int port = 8000, string ns = "default", string app = "vllm") => new
    {
        apiVersion = "inference.networking.k8s.io/v1",
        kind = "InferencePool",
        metadata = new { name, @namespace = ns, resourceVersion },
        spec = new
        {
            selector = new { matchLabels = new Dictionary<string, string> { ["app"] = app } },
            targetPorts = new[] { new { number = port } },
            endpointPickerRef = new { name = "picker", port = new { number = 9002 }, failureMode = "FailOpen" },
        },
    };

    public static string PodList(string resourceVersion, params object[] pods) => List("v1", "PodList", resourceVersion, null, pods);

    public static string PoolList(string resourceVersion, params object[] pools) => List("inference.networking.k8s.io/v1", "InferencePoolList", resourceVersion, null, pools);

    public static string List(string apiVersion, string kind, string resourceVersion, string? continueToken, params object[] items) =>
        Serialize(new { apiVersion, kind, metadata = new { resourceVersion, @continue = continueToken }, items });

    public static string Event(string type, object resource) => Serialize(new { type, @object = resource });

    /// <summary>A BOOKMARK event: an object of the watched kind carrying only its resourceVersion.</summary>
    public static string Bookmark(string apiVersion, string kind, string resourceVersion) =>
        Event("BOOKMARK", new { apiVersion, kind, metadata = new { resourceVersion } });

    public static string Status(int code, string reason, string message) => Serialize(new
    {
        kind = "Status",
        apiVersion = "v1",
        metadata = new { },
        status = "Failure",
        message,
        reason,
        code,
    });

    public static string Gone(string resourceVersion) => Status(410, "Expired", $"too old resource version: {resourceVersion} (99)");

    /// <summary>Parsed JSON, to embed a <see cref="Status"/> as the object of an ERROR event.</summary>
    public static JsonElement Json(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    private static string Serialize(object value) => JsonSerializer.Serialize(value, Options);
}
