using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Suite.Kubernetes.Tests.Fakes;

/// <summary>A tiny typed InferencePool (<c>inference.networking.k8s.io/v1</c>, plural <c>inferencepools</c>) for the custom-resource path.</summary>
internal sealed class TestInferencePool : IKubernetesObject<V1ObjectMeta>
{
    public const string Group = "inference.networking.k8s.io";
    public const string Version = "v1";
    public const string Plural = "inferencepools";

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = Group + "/" + Version;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "InferencePool";

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public TestInferencePoolSpec Spec { get; set; } = new();

    /// <summary>Kept as raw JSON: only the in-memory API server tests read it.</summary>
    [JsonPropertyName("status")]
    public JsonObject? Status { get; set; }
}

internal sealed class TestInferencePoolSpec
{
    [JsonPropertyName("selector")]
    public V1LabelSelector Selector { get; set; } = new();

    [JsonPropertyName("targetPorts")]
    public List<TestPort> TargetPorts { get; set; } = [];
}

internal sealed record TestPort([property: JsonPropertyName("number")] int Number);
