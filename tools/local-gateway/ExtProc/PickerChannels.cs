using System.Collections.Concurrent;
using Envoy.Service.ExtProc.V3;
using Grpc.Net.Client;

namespace Suite.LocalGateway.ExtProc;

/// <summary>One h2c channel per endpoint picker, kept for the gateway's lifetime, as Envoy keeps its gRPC connections.</summary>
internal sealed class PickerChannels : IDisposable
{
    private readonly ConcurrentDictionary<Uri, (GrpcChannel Channel, ExternalProcessor.ExternalProcessorClient Client)> _channels = new();

    public ExternalProcessor.ExternalProcessorClient For(Uri picker) => _channels.GetOrAdd(picker, Open).Client;

    public void Dispose()
    {
        foreach (var (channel, _) in _channels.Values)
        {
            channel.Dispose();
        }
    }

    private static (GrpcChannel, ExternalProcessor.ExternalProcessorClient) Open(Uri picker)
    {
        var channel = GrpcChannel.ForAddress(picker, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                // A stream lives as long as its response: past one connection's stream limit, open another.
                EnableMultipleHttp2Connections = true,
                PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
                ConnectTimeout = TimeSpan.FromSeconds(2),
                KeepAlivePingDelay = TimeSpan.FromSeconds(30),
                KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
            },
            DisposeHttpClient = true,

            // A restarted picker is used again within a second; gRPC's default backoff grows to two minutes.
            InitialReconnectBackoff = TimeSpan.FromMilliseconds(100),
            MaxReconnectBackoff = TimeSpan.FromSeconds(1),
            MaxReceiveMessageSize = 64 * 1024 * 1024,
            MaxSendMessageSize = 64 * 1024 * 1024,
        });
        return (channel, new ExternalProcessor.ExternalProcessorClient(channel));
    }
}
