using System.Runtime.CompilerServices;
using Grpc.Net.Client;
using Microsoft.Extensions.Options;
using Suite.Contracts.Flow;
using Suite.Contracts.Queue;
using Suite.Picker.Hosting;

namespace Suite.Picker.Admission;

/// <summary>
/// The queue service over gRPC: one channel per replica, created once (h2c, more HTTP/2 connections when one
/// reaches its stream limit; TLS for https:// addresses), and each pool's calls to the replica that owns it.
/// </summary>
internal sealed class GrpcAdmissionQueueClient : IAdmissionQueueClient, IDisposable
{
    // Pings find a queue that vanished without closing the connection while requests wait in it.
    private static readonly TimeSpan KeepAlivePingDelay = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan KeepAlivePingTimeout = TimeSpan.FromSeconds(10);

    private readonly QueueChannelSecurity _security;
    private readonly GrpcChannel[] _channels;
    private readonly AdmissionQueue.AdmissionQueueClient[] _replicas;

    /// <exception cref="Suite.Security.CertificateFileException">A <c>Picker:Queue:Tls</c> file cannot be used.</exception>
    public GrpcAdmissionQueueClient(IOptions<PickerOptions> options)
    {
        var queue = options.Value.Queue;
        _security = new QueueChannelSecurity(queue.Tls, TimeProvider.System);
        _channels = new GrpcChannel[queue.Addresses.Length];
        _replicas = new AdmissionQueue.AdmissionQueueClient[queue.Addresses.Length];
        for (var i = 0; i < queue.Addresses.Length; i++)
        {
            var handler = new SocketsHttpHandler
            {
                EnableMultipleHttp2Connections = true,
                ConnectTimeout = queue.ConnectTimeout,
                PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
                KeepAlivePingDelay = KeepAlivePingDelay,
                KeepAlivePingTimeout = KeepAlivePingTimeout,
            };
            _security.Apply(handler.SslOptions);
            _channels[i] = GrpcChannel.ForAddress(queue.Addresses[i], new GrpcChannelOptions
            {
                HttpHandler = handler,
                DisposeHttpClient = true,

                // A restarted queue is asked again within a second; gRPC's default backoff grows to two minutes.
                InitialReconnectBackoff = TimeSpan.FromMilliseconds(100),
                MaxReconnectBackoff = TimeSpan.FromSeconds(1),
            });
            _replicas[i] = new AdmissionQueue.AdmissionQueueClient(_channels[i]);
        }
    }

    public async IAsyncEnumerable<AdmitUpdate> AdmitAsync(
        AdmitRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (_replicas.Length == 0)
        {
            throw new InvalidOperationException("No admission queue is configured (Picker:Queue:Addresses is empty).");
        }

        var owner = _replicas[QueueShards.OwnerOf(request.Pool, _replicas.Length)];
        using var call = owner.Admit(request, cancellationToken: cancellationToken);
        while (await call.ResponseStream.MoveNext(cancellationToken))
        {
            yield return call.ResponseStream.Current;
        }
    }

    public void Dispose()
    {
        foreach (var channel in _channels)
        {
            channel.Dispose();
        }

        _security.Dispose();
    }
}
