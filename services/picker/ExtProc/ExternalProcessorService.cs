using Envoy.Service.ExtProc.V3;
using Grpc.Core;

namespace Suite.Picker.ExtProc;

/// <summary>
/// The ext_proc gRPC service: one stream per HTTP request. Messages are handled strictly in order and every
/// answer goes through the one writer of the stream.
/// </summary>
internal sealed class ExternalProcessorService(ExchangeServices services) : ExternalProcessor.ExternalProcessorBase
{
    /// <summary>How long a stream the picker answered itself waits for the gateway to close its side.</summary>
    internal static readonly TimeSpan GatewayCloseWait = TimeSpan.FromSeconds(2);

    /// <summary>Messages already on their way when the answer went out; a client that keeps sending is cut off after these.</summary>
    internal const int MessagesWhileClosing = 8;

    public override async Task Process(
        IAsyncStreamReader<ProcessingRequest> requestStream,
        IServerStreamWriter<ProcessingResponse> responseStream,
        ServerCallContext context)
    {
        if (await HandleAsync(requestStream, responseStream, context))
        {
            await AwaitGatewayCloseAsync(requestStream, context.CancellationToken);
        }
    }

    /// <summary>
    /// Ending a stream while the gateway's side is still open makes Kestrel reset it, and Kestrel counts those
    /// resets: past its limit it refuses new streams on the connection (ENHANCE_YOUR_CALM), e.g. in a storm of 429s.
    /// A gateway closes its side once it has the picker's answer (Envoy does on an immediate response), so the
    /// picker waits for that, briefly (<see cref="GatewayCloseWait"/>, <see cref="MessagesWhileClosing"/>), after it has
    /// released everything the request held.
    /// </summary>
    private static async Task AwaitGatewayCloseAsync(IAsyncStreamReader<ProcessingRequest> requestStream, CancellationToken cancellationToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(GatewayCloseWait);
        try
        {
            for (var dropped = 0; dropped < MessagesWhileClosing && await requestStream.MoveNext(wait.Token); dropped++)
            {
                // the request is answered: what the gateway had already sent is dropped
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or RpcException or InvalidOperationException)
        {
            // reset, gone, or silent past the wait: the stream ends now either way
        }
    }

    /// <summary>Runs the exchange; true when the picker answered the request itself and the stream is still open.</summary>
    private async Task<bool> HandleAsync(
        IAsyncStreamReader<ProcessingRequest> requestStream,
        IServerStreamWriter<ProcessingResponse> responseStream,
        ServerCallContext context)
    {
        var cancellationToken = context.CancellationToken;
        using var exchange = new RequestExchange(services, responseStream);
        // Tells a failed read (a message gRPC refused) from a failure while handling a message.
        var reading = true;
        try
        {
            while (await requestStream.MoveNext(exchange.ReadToken(cancellationToken)))
            {
                reading = false;
                if (!await exchange.HandleAsync(requestStream.Current, cancellationToken))
                {
                    return true;
                }

                reading = true;
            }
        }
        catch (PoolDataExpiredException e)
        {
            ExtProcLog.PoolDataExpired(services.Logger, exchange.RequestId, e.Message);
            throw new RpcException(new Status(StatusCode.Unavailable, e.Message));
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // The gateway reset the stream or the client went away; Dispose releases what the request held.
        }
        catch (OperationCanceledException) when (reading && exchange.BodyTimedOut(cancellationToken))
        {
            await TryAnswerAsync(exchange.AnswerBodyTimeoutAsync(cancellationToken));
            return true;
        }
        catch (RpcException e) when (reading && e.StatusCode == StatusCode.ResourceExhausted && exchange.Unanswered)
        {
            // A message over gRPC's receive limit: the client's doing, not the picker's failure.
            await TryAnswerAsync(exchange.AnswerOversizedMessageAsync(cancellationToken));
        }
        catch (IOException)
        {
            // The connection broke mid-stream; same as a reset.
        }
        catch (Exception e)
        {
            ExtProcLog.StreamFailed(services.Logger, exchange.RequestId, e);
            await TryAnswerAsync(exchange.TryAnswerInternalErrorAsync(cancellationToken));
        }

        if (exchange.Abandoned)
        {
            ExtProcLog.StreamAbandoned(services.Logger, exchange.RequestId);
        }

        return false;
    }

    private static async Task TryAnswerAsync(ValueTask answer)
    {
        try
        {
            await answer;
        }
        catch (Exception e) when (e is IOException or RpcException or OperationCanceledException or InvalidOperationException)
        {
            // The stream itself is broken; there is no one left to answer.
        }
    }
}
