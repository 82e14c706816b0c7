using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Suite.Contracts.Pools;
using Suite.Picker.FunctionalTests.Infrastructure;
using Suite.Picker.Hosting;
using Suite.Picker.Pools;
using Suite.Picker.Security;

namespace Suite.Picker.FunctionalTests.Security;

/// <summary>The real picker host on real sockets (TLS needs Kestrel, not the in-memory test server), on free ports.</summary>
internal sealed class TlsPicker : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TlsPicker(WebApplication app, int grpcPort, int healthPort)
    {
        _app = app;
        GrpcPort = grpcPort;
        HealthPort = healthPort;
    }

    public int GrpcPort { get; }

    public int HealthPort { get; }

    public ServerCertificate Certificate => _app.Services.GetRequiredService<ServerCertificate>();

    public static async Task<TlsPicker> StartAsync(IReadOnlyDictionary<string, string?> tls)
    {
        int grpc = FreePort(), health = FreePort(), http = FreePort();
        var settings = new Dictionary<string, string?>(tls)
        {
            ["Picker:GrpcPort"] = grpc.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Picker:HealthPort"] = health.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Picker:HttpPort"] = http.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Messaging:Mode"] = "InMemory",
        };
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddPicker([]);
        var app = builder.Build();
        app.MapPicker();
        app.Services.GetRequiredService<PoolStateStore>().Publish(
            new PoolSnapshot("tls-pool", 1, DateTimeOffset.UtcNow, [PickerFactory.Endpoint("10.0.0.1:8000")]));
        await app.StartAsync();
        return new TlsPicker(app, grpc, health);
    }

    /// <summary>
    /// A channel to the ext_proc port over TLS that reports the thumbprint of the server's certificate and accepts it
    /// only if it is <paramref name="expected"/>, presenting <paramref name="client"/> when given.
    /// </summary>
    public GrpcChannel TlsChannel(X509Certificate2 expected, Action<string> seen, X509Certificate2? client = null)
    {
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
        {
            using var presented = new X509Certificate2(certificate!);
            seen(presented.Thumbprint);
            return presented.Thumbprint == expected.Thumbprint;
        };
        if (client is not null)
        {
            handler.SslOptions.ClientCertificates = [client];
        }

        return GrpcChannel.ForAddress($"https://127.0.0.1:{GrpcPort}", new GrpcChannelOptions { HttpHandler = handler });
    }

    public static GrpcChannel PlaintextChannel(int port) => GrpcChannel.ForAddress($"http://127.0.0.1:{port}");

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
