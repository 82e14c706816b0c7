using Envoy.Service.ExtProc.V3;
using Grpc.Core;

namespace Suite.LocalGateway.ExtProc;

/// <summary>
/// One request's ext_proc stream, used strictly in turn (one writer, one reader at a time), with Envoy's
/// per-message timeout on every answer the gateway waits for.
/// </summary>
internal sealed class PickerCall(AsyncDuplexStreamingCall<ProcessingRequest, ProcessingResponse> call, TimeSpan messageTimeout) : IDisposable
{
    private bool _requestsCompleted;

    public Task SendAsync(ProcessingRequest message, CancellationToken cancellationToken) =>
        call.RequestStream.WriteAsync(message, cancellationToken);

    /// <summary>The next answer; null when the picker ended the stream.</summary>
    /// <exception cref="PickerTimeoutException">No answer within the message timeout.</exception>
    public async Task<ProcessingResponse?> ReadAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(messageTimeout);
        try
        {
            return await call.ResponseStream.MoveNext(timeout.Token) ? call.ResponseStream.Current : null;
        }
        catch (Exception e) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested
                                  && e is OperationCanceledException or RpcException)
        {
            throw new PickerTimeoutException(messageTimeout);
        }
    }

    /// <summary>
    /// The next answer without the message timeout: response chunks are answered as they are sent, and a model
    /// server may pause longer than the timeout between tokens.
    /// </summary>
    public async Task<ProcessingResponse?> ReadUntimedAsync(CancellationToken cancellationToken) =>
        await call.ResponseStream.MoveNext(cancellationToken) ? call.ResponseStream.Current : null;

    /// <summary>Half-closes the stream: the gateway has sent everything for this request.</summary>
    public async Task CompleteAsync()
    {
        if (!_requestsCompleted)
        {
            _requestsCompleted = true;
            await call.RequestStream.CompleteAsync();
        }
    }

    /// <summary>
    /// Half-closes a stream the picker has ended with an error, so it closes cleanly instead of being reset: a
    /// server counts streams its client resets (HTTP/2 rapid-reset protection) and, past a limit, drops the whole
    /// connection with every other request on it.
    /// </summary>
    public async Task TryCompleteAsync()
    {
        try
        {
            await CompleteAsync();
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or RpcException or OperationCanceledException)
        {
            // the stream is gone already; disposing it is all that is left
        }
    }

    /// <summary>Resets the stream if it is still open (the picker then releases the request), as Envoy does on a reset.</summary>
    public void Dispose() => call.Dispose();
}

/// <summary>The picker did not answer within the message timeout.</summary>
internal sealed class PickerTimeoutException(TimeSpan timeout)
    : Exception($"the endpoint picker did not answer within {timeout.TotalSeconds:0.###} s");
