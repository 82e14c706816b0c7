namespace Suite.Kubernetes;

/// <summary>
/// The API server answered 410 Gone: the resourceVersion is older than its history, so events were lost and the
/// watcher must list again.
/// </summary>
public sealed class ResourceExpiredException : Exception
{
    public ResourceExpiredException()
        : this("The resourceVersion has expired (410 Gone).")
    {
    }

    public ResourceExpiredException(string message)
        : base(message)
    {
    }

    public ResourceExpiredException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
