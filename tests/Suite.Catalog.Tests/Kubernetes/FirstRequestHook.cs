namespace Suite.Catalog.Tests.Kubernetes;

/// <summary>
/// A handler for the catalog's Kubernetes client that runs an action just before the first request that matches is
/// sent, e.g. to take the API's watches away at the moment a status write goes out.
/// </summary>
internal sealed class FirstRequestHook(Func<HttpRequestMessage, bool> matches, Action action) : DelegatingHandler
{
    private int _fired;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (matches(request) && Interlocked.Exchange(ref _fired, 1) == 0)
        {
            action();
        }

        return base.SendAsync(request, cancellationToken);
    }
}
