namespace Suite.Kubernetes.Tests.Support;

/// <summary>
/// A handler for KubernetesClient that counts requests which got no HTTP answer at all (connection refused or
/// dropped): the only trace of a client's attempts while the API server is down.
/// </summary>
internal sealed class FailedConnections : DelegatingHandler
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await base.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException)
        {
            Interlocked.Increment(ref _count);
            throw;
        }
    }
}
