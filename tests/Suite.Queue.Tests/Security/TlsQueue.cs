using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Suite.Queue.Hosting;
using Suite.Security;

namespace Suite.Queue.Tests.Security;

/// <summary>The real queue host on real sockets (TLS needs Kestrel, not the in-memory test server), on free ports.</summary>
internal sealed class TlsQueue : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TlsQueue(WebApplication app, int grpcPort, int httpPort)
    {
        _app = app;
        GrpcPort = grpcPort;
        HttpPort = httpPort;
    }

    public int GrpcPort { get; }

    public int HttpPort { get; }

    public ReloadingServerCertificate Certificate => _app.Services.GetRequiredService<ReloadingServerCertificate>();

    public static async Task<TlsQueue> StartAsync(IReadOnlyDictionary<string, string?> tls)
    {
        int grpc = FreePort(), http = FreePort();
        var settings = new Dictionary<string, string?>(tls)
        {
            ["Queue:GrpcPort"] = grpc.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Queue:HttpPort"] = http.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Messaging:Mode"] = "InMemory",
        };
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddQueue([]);
        var app = builder.Build();
        app.MapQueue();
        await app.StartAsync();
        return new TlsQueue(app, grpc, http);
    }

    /// <summary>
    /// A channel to the gRPC port over TLS that accepts the server's certificate only if it is
    /// <paramref name="expected"/>, presenting <paramref name="client"/> when given.
    /// </summary>
    public GrpcChannel TlsChannel(X509Certificate2 expected, X509Certificate2? client = null)
    {
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            certificate is X509Certificate2 presented && presented.Thumbprint == expected.Thumbprint;
        if (client is not null)
        {
            handler.SslOptions.ClientCertificates = [client];
        }

        return GrpcChannel.ForAddress($"https://127.0.0.1:{GrpcPort}", new GrpcChannelOptions { HttpHandler = handler });
    }

    public GrpcChannel PlaintextChannel() => GrpcChannel.ForAddress($"http://127.0.0.1:{GrpcPort}");

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
