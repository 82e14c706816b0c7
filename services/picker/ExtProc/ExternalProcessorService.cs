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
        try
        {
            await foreach (var message in requestStream.ReadAllAsync(cancellationToken))
            {
                if (!await exchange.HandleAsync(message, cancellationToken))
                {
                    return;
                }
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
        catch (IOException)
        {
            // The connection broke mid-stream; same as a reset.
        }
        catch (Exception e)
        {
            ExtProcLog.StreamFailed(services.Logger, exchange.RequestId, e);
            try
            {
                await exchange.TryAnswerInternalErrorAsync(cancellationToken);
            }
            catch (Exception answerFailure) when (answerFailure is IOException or RpcException or OperationCanceledException or InvalidOperationException)
            {
                // The stream itself is broken; there is no one left to answer.
            }
        }

        if (exchange.Abandoned)
        {
            ExtProcLog.StreamAbandoned(services.Logger, exchange.RequestId);
        }
    }
}
