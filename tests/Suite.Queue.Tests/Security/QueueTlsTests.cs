using Grpc.Core;
using Grpc.Net.Client;
using Suite.Contracts.Keda;
using Suite.Contracts.Queue;
using Suite.Picker.FunctionalTests.Security;

namespace Suite.Queue.Tests.Security;

/// <summary>TLS on the queue's gRPC port, as the picker and KEDA connect: certificate from files, renewal, client certificates.</summary>
public sealed class QueueTlsTests : IDisposable
{
    private static readonly StatusCode[] Refusals = [StatusCode.Unavailable, StatusCode.Internal];

    private readonly TestCertificates _files = new();

    [Fact]
    public async Task Admit_OverTls_Answered()
    {
        var (certificate, certificateFile, keyFile) = _files.Server("queue-a");
        await using var queue = await TlsQueue.StartAsync(Tls(certificateFile, keyFile));
        using var channel = queue.TlsChannel(certificate);

        var error = await AdmitAsync(channel);

        Assert.Equal((StatusCode.InvalidArgument, "pool is required."), (error.StatusCode, error.Status.Detail));
    }

    [Fact]
    public async Task KedaScaler_OverTls_Answered()
    {
        var (certificate, certificateFile, keyFile) = _files.Server("queue-a");
        await using var queue = await TlsQueue.StartAsync(Tls(certificateFile, keyFile));
        using var channel = queue.TlsChannel(certificate);
        var trigger = new ScaledObjectRef { Name = "chat", Namespace = "default", ScalerMetadata = { ["pool"] = "chat-pool" } };

        var spec = await new ExternalScaler.ExternalScalerClient(channel).GetMetricSpecAsync(trigger);

        Assert.Equal(new MetricSpec { MetricName = "queue-depth-chat-pool", TargetSize = 5, TargetSizeFloat = 5 }, Assert.Single(spec.MetricSpecs));
    }

    [Fact]
    public async Task Admit_PlaintextClientOnTheTlsPort_IsRefused()
    {
        var (_, certificateFile, keyFile) = _files.Server("queue-a");
        await using var queue = await TlsQueue.StartAsync(Tls(certificateFile, keyFile));
        using var channel = queue.PlaintextChannel();

        AssertRefused(await AdmitAsync(channel));
    }

    [Fact]
    public async Task Metrics_WithTlsOnGrpc_StayPlaintextOnTheHttpPort()
    {
        var (_, certificateFile, keyFile) = _files.Server("queue-a");
        await using var queue = await TlsQueue.StartAsync(Tls(certificateFile, keyFile));
        using var http = new HttpClient();

        using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{queue.HttpPort}/healthz"));

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Renewal_RewrittenFiles_NewConnectionsGetTheNewCertificate()
    {
        var (_, certificateFile, keyFile) = _files.Server("queue-a");
        await using var queue = await TlsQueue.StartAsync(Tls(certificateFile, keyFile));
        var (second, renewedCertificate, renewedKey) = _files.Server("queue-b");
        File.Copy(renewedCertificate, certificateFile, overwrite: true);
        File.Copy(renewedKey, keyFile, overwrite: true);

        var reloaded = queue.Certificate.CheckNow();
        using var channel = queue.TlsChannel(second);
        var error = await AdmitAsync(channel);

        Assert.True(reloaded);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }

    [Fact]
    public async Task MutualTls_ClientCertificateFromTheCa_IsServed()
    {
        var (server, certificateFile, keyFile) = _files.Server("queue-a");
        var (authority, authorityFile) = _files.Authority("picker-ca");
        await using var queue = await TlsQueue.StartAsync(Tls(certificateFile, keyFile, authorityFile));
        using var client = TestCertificates.Client("picker", authority);
        using var channel = queue.TlsChannel(server, client);

        var error = await AdmitAsync(channel);

        Assert.Equal((StatusCode.InvalidArgument, "pool is required."), (error.StatusCode, error.Status.Detail));
    }

    [Fact]
    public async Task MutualTls_NoClientCertificate_IsRefused()
    {
        var (server, certificateFile, keyFile) = _files.Server("queue-a");
        var (_, authorityFile) = _files.Authority("picker-ca");
        await using var queue = await TlsQueue.StartAsync(Tls(certificateFile, keyFile, authorityFile));
        using var channel = queue.TlsChannel(server);

        AssertRefused(await AdmitAsync(channel));
    }

    [Fact]
    public async Task MutualTls_ClientCertificateFromAnotherCa_IsRefused()
    {
        var (server, certificateFile, keyFile) = _files.Server("queue-a");
        var (_, authorityFile) = _files.Authority("picker-ca");
        var (stranger, _) = _files.Authority("stranger-ca");
        await using var queue = await TlsQueue.StartAsync(Tls(certificateFile, keyFile, authorityFile));
        using var client = TestCertificates.Client("intruder", stranger);
        using var channel = queue.TlsChannel(server, client);

        AssertRefused(await AdmitAsync(channel));
    }

    public void Dispose() => _files.Dispose();

    /// <summary>
    /// A refused connection fails the call without an answer from the service: while connecting (Unavailable) or,
    /// under TLS 1.3 where a refused client certificate is reported after the client's handshake, while the call is
    /// sent (Internal). A served call is InvalidArgument.
    /// </summary>
    private static void AssertRefused(RpcException error) =>
        Assert.Contains(error.StatusCode, Refusals);

    private static Dictionary<string, string?> Tls(string certificateFile, string keyFile, string? clientCaFile = null) => new()
    {
        ["Queue:Tls:CertificateFile"] = certificateFile,
        ["Queue:Tls:KeyFile"] = keyFile,
        ["Queue:Tls:ClientCaFile"] = clientCaFile,
    };

    /// <summary>
    /// An Admit call without a pool: a queue that serves the caller answers InvalidArgument; a refused connection
    /// fails it otherwise (<see cref="AssertRefused"/>).
    /// </summary>
    private static async Task<RpcException> AdmitAsync(GrpcChannel channel)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var call = new AdmissionQueue.AdmissionQueueClient(channel).Admit(new AdmitRequest(), cancellationToken: timeout.Token);
        return await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(timeout.Token));
    }
}
