using Envoy.Service.ExtProc.V3;
using Grpc.Core;

namespace Suite.Picker.ExtProc;

/// <summary>
/// The ext_proc gRPC service: one stream per HTTP request. Messages are handled strictly in order and every
/// answer goes through the one writer of the stream.
/// </summary>
internal sealed class ExternalProcessorService(ExchangeServices services) : ExternalProcessor.ExternalProcessorBase
{
    public override async Task Process(
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
                    return;
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
