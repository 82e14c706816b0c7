using System.Net;
using k8s;
using k8s.Autorest;

namespace Suite.Kubernetes;

/// <summary>
/// The API server answered 404 Not Found for the collection: it does not serve this kind (its CRD is not installed,
/// or was deleted), so there are no objects of it right now.
/// </summary>
public sealed class ResourceNotServedException : Exception
{
    public ResourceNotServedException()
        : this("The kind is not served by the API server (404 Not Found).")
    {
    }

    public ResourceNotServedException(string message)
        : base(message)
    {
    }

    public ResourceNotServedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>
    /// True for the two ways KubernetesClient reports a 404: an HTTP 404 answer (list or watch request) and an ERROR
    /// watch event whose Status has code 404.
    /// </summary>
    internal static bool IsNotFound(Exception exception) => exception is
        HttpOperationException { Response.StatusCode: HttpStatusCode.NotFound } or KubernetesException { Status.Code: 404 };
}
