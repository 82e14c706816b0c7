using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Suite.Contracts.Queue;
using Suite.Security;

namespace Suite.Picker.FunctionalTests.Admission;

/// <summary>
/// One replica of the queue service's <c>AdmissionQueue</c> on a real loopback port (Kestrel, h2c or TLS), answering
/// each <c>Admit</c> call as the test scripts it and recording what it was asked and whether the caller cancelled.
/// </summary>
public sealed class FakeQueueServer : IAsyncDisposable
{
    public delegate Task AdmitHandler(AdmitRequest request, IServerStreamWriter<AdmitUpdate> updates, CancellationToken callCancelled);

    private readonly TaskCompletionSource<AdmitRequest> _firstCall = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _cancelled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WebApplication? _app;

    /// <summary>How each call is answered; by default, at once with Admitted.</summary>
    public AdmitHandler OnAdmit { get; set; } = (_, updates, cancelled) => updates.WriteAsync(Admitted(), cancelled);

    public string Address { get; private set; } = "";

    public ConcurrentQueue<AdmitRequest> Requests { get; } = new();

    /// <summary>The subject of the client certificate each call came with ("" for none).</summary>
    public ConcurrentQueue<string> ClientSubjects { get; } = new();

    /// <summary>Completes when the first call arrives, with its request.</summary>
    public Task<AdmitRequest> FirstCall => _firstCall.Task;

    /// <summary>Completes when a caller cancels a call while its handler runs.</summary>
    public Task CallCancelled => _cancelled.Task;

    /// <param name="certificate">Serve TLS with this certificate (the address is then https://); null: h2c.</param>
    /// <param name="clientCaFile">With TLS, require a client certificate that chains to this PEM CA.</param>
    public static async Task<FakeQueueServer> StartAsync(X509Certificate2? certificate = null, string? clientCaFile = null)
    {
        var server = new FakeQueueServer();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var clients = clientCaFile is null ? null : CertificateAuthority.Load("test", clientCaFile);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            if (certificate is not null)
            {
                listen.UseHttps(new HttpsConnectionAdapterOptions
                {
                    ServerCertificate = certificate,
                    ClientCertificateMode = clients is null ? ClientCertificateMode.NoCertificate : ClientCertificateMode.RequireCertificate,
                    ClientCertificateValidation = (client, _, _) => clients is null || clients.Issued(client),
                });
            }
        }));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(server);
        server._app = builder.Build();
        server._app.MapGrpcService<FakeAdmissionQueueService>();
        await server._app.StartAsync();
        server.Address = server._app.Services.GetRequiredService<IServer>()
            .Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return server;
    }

    /// <summary>A loopback URL where nothing listens: connections to it are refused.</summary>
    public static string RefusingAddress()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return $"http://127.0.0.1:{port}";
    }

    public static AdmitUpdate Queued(int band = 0, int depth = 1) => new() { Queued = new Queued { Band = band, Depth = depth } };

    public static AdmitUpdate Admitted() => new() { Admitted = new Admitted() };

    public static AdmitUpdate Rejected(RejectReason reason) => new() { Rejected = new Rejected { Reason = reason } };

    public static AdmitUpdate Expired() => new() { Expired = new Expired() };

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    internal async Task AdmitAsync(AdmitRequest request, IServerStreamWriter<AdmitUpdate> updates, ServerCallContext context)
    {
        Requests.Enqueue(request);
        ClientSubjects.Enqueue(context.GetHttpContext().Connection.ClientCertificate?.Subject ?? "");
        _firstCall.TrySetResult(request);
        using var registration = context.CancellationToken.Register(() => _cancelled.TrySetResult());
        await OnAdmit(request, updates, context.CancellationToken);
    }

    private sealed class FakeAdmissionQueueService(FakeQueueServer server) : AdmissionQueue.AdmissionQueueBase
    {
        public override Task Admit(AdmitRequest request, IServerStreamWriter<AdmitUpdate> responseStream, ServerCallContext context) =>
            server.AdmitAsync(request, responseStream, context);
    }
}
