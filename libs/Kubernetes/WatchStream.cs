using System.Net;
using System.Runtime.CompilerServices;
using k8s;
using k8s.Autorest;

namespace Suite.Kubernetes;

/// <summary>
/// Turns KubernetesClient's watch stream into the <see cref="IResourceApi{T}"/> contract. The client reports ERROR
/// events and unreadable lines through a callback and carries on reading; here they end the stream as exceptions, and
/// 410 Gone (HTTP status or ERROR Status) becomes <see cref="ResourceExpiredException"/>.
/// </summary>
internal static class WatchStream
{
    public delegate IAsyncEnumerable<(WatchEventType, TSource)> Opener<TSource>(Action<Exception> onError, CancellationToken cancellationToken);

    public static async IAsyncEnumerable<(WatchEventType Type, TSource Object)> ReadAsync<TSource>(
        Opener<TSource> open, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Exception? failure = null;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var events = open(
            e =>
            {
                failure ??= e;
                stop.Cancel();
            },
            stop.Token);

        await using var enumerator = events.GetAsyncEnumerator(stop.Token);
        while (true)
        {
            bool more;
            try
            {
                more = await enumerator.MoveNextAsync();
            }
            catch (OperationCanceledException) when (failure is not null && !cancellationToken.IsCancellationRequested)
            {
                // Our own stop after the client reported a failure; thrown below.
                more = false;
            }
            catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.Gone)
            {
                throw new ResourceExpiredException($"410 Gone: {e.Response.Content}", e);
            }
            catch (HttpRequestException e) when (e.InnerException is EndOfStreamException)
            {
                // The client reads the first line before it returns; a watch the server ended with no event lands here.
                more = false;
            }

            if (failure is not null)
            {
                throw failure is KubernetesException { Status.Code: 410 } gone
                    ? new ResourceExpiredException(gone.Status.Message ?? gone.Message, gone)
                    : failure;
            }

            if (!more)
            {
                yield break;
            }

            var (type, item) = enumerator.Current;
            yield return (type, item);
        }
    }
}
