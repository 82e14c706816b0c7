using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Microsoft.Extensions.Options;
using Suite.Contracts.Queue;
using Suite.Picker.Admission;
using Suite.Picker.FunctionalTests.Security;
using Suite.Picker.Hosting;
using static Suite.Picker.FunctionalTests.Admission.FakeQueueServer;

namespace Suite.Picker.FunctionalTests.Admission;

/// <summary>The picker's real queue client against a queue replica that serves TLS, and one that requires client certificates (<c>Picker:Queue:Tls</c>).</summary>
public sealed class QueueTlsClientTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private static readonly StatusCode[] Refusals = [StatusCode.Unavailable, StatusCode.Internal];

    private readonly TestCertificates _files = new();

    [Fact]
    public async Task AdmitAsync_QueueCertificateFromTheCaFile_Admitted()
    {
        var (certificate, certificateFile, _) = _files.Server("queue-0");
        await using var queue = await StartAsync(certificate);
        using var client = Client(queue.Address, new QueueClientTlsOptions { CaFile = certificateFile });

        var updates = await ReadAllAsync(client);

        Assert.StartsWith("https://", queue.Address, StringComparison.Ordinal);
        Assert.Equal([Admitted()], updates);
        Assert.Equal([""], queue.ClientSubjects);
    }

    [Fact]
    public async Task AdmitAsync_QueueCertificateNotFromTheCaFile_FailsTheHandshakeAndNeverAsks()
    {
        var (certificate, _, _) = _files.Server("queue-0");
        var (_, strangerFile, _) = _files.Server("stranger");
        await using var queue = await StartAsync(certificate);
        using var client = Client(queue.Address, new QueueClientTlsOptions { CaFile = strangerFile });

        var failure = await Assert.ThrowsAsync<RpcException>(() => ReadAllAsync(client));

        // The handshake fails on the picker's side; the admission step falls back on any failed call.
        Assert.Equal(StatusCode.Internal, failure.StatusCode);
        Assert.IsType<System.Security.Authentication.AuthenticationException>(failure.Status.DebugException?.InnerException);
        Assert.Empty(queue.Requests);
    }

    [Fact]
    public async Task AdmitAsync_MutualTls_PresentsTheConfiguredClientCertificate()
    {
        var (certificate, certificateFile, _) = _files.Server("queue-0");
        var (authority, authorityFile) = _files.Authority("picker-ca");
        await using var queue = await StartAsync(certificate, authorityFile);
        var (clientCertificateFile, clientKeyFile) = WriteClient("picker-0", authority);
        using var client = Client(queue.Address, new QueueClientTlsOptions
        {
            CaFile = certificateFile,
            ClientCertificateFile = clientCertificateFile,
            ClientKeyFile = clientKeyFile,
        });

        var updates = await ReadAllAsync(client);

        Assert.Equal([Admitted()], updates);
        Assert.Equal(["CN=picker-0"], queue.ClientSubjects);
    }

    [Fact]
    public async Task AdmitAsync_MutualTlsWithoutAClientCertificate_IsRefusedAndNeverAsks()
    {
        var (certificate, certificateFile, _) = _files.Server("queue-0");
        var (_, authorityFile) = _files.Authority("picker-ca");
        await using var queue = await StartAsync(certificate, authorityFile);
        using var client = Client(queue.Address, new QueueClientTlsOptions { CaFile = certificateFile });

        var failure = await Assert.ThrowsAsync<RpcException>(() => ReadAllAsync(client));

        // Under TLS 1.3 the client learns of the refusal after its handshake completes: while connecting
        // (Unavailable) or while sending the call (Internal), whichever comes first.
        Assert.Contains(failure.StatusCode, Refusals);
        Assert.Empty(queue.Requests);
    }

    [Fact]
    public void Create_CaFileWithoutACertificate_ThrowsNamingTheKey()
    {
        var file = _files.Write("empty-ca.crt", "");

        var error = Assert.Throws<Suite.Security.CertificateFileException>(() => Client("https://127.0.0.1:9004", new QueueClientTlsOptions { CaFile = file }));

        Assert.Equal($"Picker:Queue:Tls:CaFile {file} holds no certificate.", error.Message);
    }

    public void Dispose() => _files.Dispose();

    private (string CertificateFile, string KeyFile) WriteClient(string name, X509Certificate2 authority)
    {
        using var client = TestCertificates.Client(name, authority);
        using var key = client.GetECDsaPrivateKey()!;
        return (_files.Write($"{name}.crt", client.ExportCertificatePem()), _files.Write($"{name}.key", key.ExportPkcs8PrivateKeyPem()));
    }

    private static GrpcAdmissionQueueClient Client(string address, QueueClientTlsOptions tls) =>
        new(Options.Create(new PickerOptions { Queue = { Addresses = [address], Tls = tls } }));

    private static async Task<List<AdmitUpdate>> ReadAllAsync(GrpcAdmissionQueueClient client)
    {
        using var timeout = new CancellationTokenSource(Patience);
        var updates = new List<AdmitUpdate>();
        await foreach (var update in client.AdmitAsync(new AdmitRequest { Pool = "chat-pool", RequestId = "req-1" }, timeout.Token))
        {
            updates.Add(update);
        }

        return updates;
    }
}
