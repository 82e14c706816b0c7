namespace Suite.Kubernetes.Resources;

/// <summary>What the gateway does when the endpoint picker cannot answer: the values of <c>failureMode</c>.</summary>
public static class InferencePoolFailureMode
{
    /// <summary>Route the request anyway, to an endpoint of the gateway's own choosing.</summary>
    public const string FailOpen = "FailOpen";

    /// <summary>Fail the request; the default when the field is unset.</summary>
    public const string FailClose = "FailClose";
}
