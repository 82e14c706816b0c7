using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Suite.Picker.FunctionalTests.Infrastructure;
using static Suite.Picker.FunctionalTests.Infrastructure.ResponseAssertions;

namespace Suite.Picker.FunctionalTests.Security;

/// <summary>TLS on the ext_proc port, as a gateway configured for it connects: certificate from files, renewal without restart, client certificates.</summary>
public sealed class ExtProcTlsTests : IDisposable
{
    private readonly TestCertificates _files = new();

    [Fact]
    public async Task ExtProc_OverTls_RoutesAndPresentsTheConfiguredCertificate()
    {
        var (certificate, certificateFile, keyFile) = _files.Server("picker-a");
        await using var picker = await TlsPicker.StartAsync(Tls(certificateFile, keyFile));
        string? presented = null;
        using var channel = picker.TlsChannel(certificate, seen => presented = seen);

        var destination = await RouteAsync(channel);

        Assert.Equal("10.0.0.1:8000", destination);
        Assert.Equal(certificate.Thumbprint, presented);
    }

    [Fact]
    public async Task ExtProc_PlaintextClientOnTheTlsPort_GetsNoAnswer()
    {
        var (_, certificateFile, keyFile) = _files.Server("picker-a");
        await using var picker = await TlsPicker.StartAsync(Tls(certificateFile, keyFile));
        using var channel = TlsPicker.PlaintextChannel(picker.GrpcPort);

        AssertRefused(await Record.ExceptionAsync(() => RouteAsync(channel)));
    }

    [Fact]
    public async Task Health_WithTlsOnExtProc_StaysPlaintextForTheKubelet()
    {
        var (_, certificateFile, keyFile) = _files.Server("picker-a");
        await using var picker = await TlsPicker.StartAsync(Tls(certificateFile, keyFile));
        using var channel = TlsPicker.PlaintextChannel(picker.HealthPort);

        var reply = await new Grpc.Health.V1.Health.HealthClient(channel).CheckAsync(new HealthCheckRequest { Service = "liveness" });

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, reply.Status);
    }

    [Fact]
    public async Task Renewal_RewrittenFiles_NewConnectionsGetTheNewCertificate()
    {
        var (first, certificateFile, keyFile) = _files.Server("picker-a");
        await using var picker = await TlsPicker.StartAsync(Tls(certificateFile, keyFile));
        var (second, renewedCertificate, renewedKey) = _files.Server("picker-b");
        File.Copy(renewedCertificate, certificateFile, overwrite: true);
        File.Copy(renewedKey, keyFile, overwrite: true);

        var reloaded = picker.Certificate.CheckNow();
        string? presented = null;
        using var channel = picker.TlsChannel(second, seen => presented = seen);
        var destination = await RouteAsync(channel);

        Assert.True(reloaded);
        Assert.NotEqual(first.Thumbprint, second.Thumbprint);
        Assert.Equal(second.Thumbprint, presented);
        Assert.Equal("10.0.0.1:8000", destination);
    }

    [Fact]
    public async Task Renewal_UnreadableFiles_KeepsTheCurrentCertificateAndSaysWhy()
    {
        var (first, certificateFile, keyFile) = _files.Server("picker-a");
        await using var picker = await TlsPicker.StartAsync(Tls(certificateFile, keyFile));
        File.WriteAllText(certificateFile, "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n");

        var reloaded = picker.Certificate.CheckNow();
        string? presented = null;
        using var channel = picker.TlsChannel(first, seen => presented = seen);
        await RouteAsync(channel);

        Assert.False(reloaded);
        Assert.StartsWith(certificateFile, picker.Certificate.LastError, StringComparison.Ordinal);
        Assert.Equal(first.Thumbprint, presented);
    }

    [Fact]
    public async Task MutualTls_ClientCertificateFromTheCa_IsServed()
    {
        var (server, certificateFile, keyFile) = _files.Server("picker-a");
        var (authority, authorityFile) = _files.Authority("gateway-ca");
        await using var picker = await TlsPicker.StartAsync(Tls(certificateFile, keyFile, authorityFile));
        using var client = TestCertificates.Client("envoy-gateway", authority);
        using var channel = picker.TlsChannel(server, _ => { }, client);

        Assert.Equal("10.0.0.1:8000", await RouteAsync(channel));
    }

    [Fact]
    public async Task MutualTls_NoClientCertificate_IsRefused()
    {
        var (server, certificateFile, keyFile) = _files.Server("picker-a");
        var (_, authorityFile) = _files.Authority("gateway-ca");
        await using var picker = await TlsPicker.StartAsync(Tls(certificateFile, keyFile, authorityFile));
        using var channel = picker.TlsChannel(server, _ => { });

        AssertRefused(await Record.ExceptionAsync(() => RouteAsync(channel)));
    }

    [Fact]
    public async Task MutualTls_ClientCertificateFromAnotherCa_IsRefused()
    {
        var (server, certificateFile, keyFile) = _files.Server("picker-a");
        var (_, authorityFile) = _files.Authority("gateway-ca");
        var (stranger, _) = _files.Authority("stranger-ca");
        await using var picker = await TlsPicker.StartAsync(Tls(certificateFile, keyFile, authorityFile));
        using var client = TestCertificates.Client("intruder", stranger);
        using var channel = picker.TlsChannel(server, _ => { }, client);

        AssertRefused(await Record.ExceptionAsync(() => RouteAsync(channel)));
    }

    public void Dispose() => _files.Dispose();

    /// <summary>A refused handshake surfaces as a failed call or, when it fails while the stream is being written, as an I/O error.</summary>
    private static void AssertRefused(Exception? error) =>
        Assert.True(error is RpcException or IOException or HttpRequestException, $"expected the connection to be refused, got {error?.GetType().Name ?? "an answer"}");

    private static Dictionary<string, string?> Tls(string certificateFile, string keyFile, string? clientCaFile = null) => new()
    {
        ["Picker:Tls:CertificateFile"] = certificateFile,
        ["Picker:Tls:KeyFile"] = keyFile,
        ["Picker:Tls:ClientCaFile"] = clientCaFile,
    };

    /// <summary>A header-only request, as Envoy sends one; returns the destination the picker chose.</summary>
    private static async Task<string?> RouteAsync(GrpcChannel channel)
    {
        await using var envoy = new EnvoyExchange(channel);
        await envoy.SendRequestHeadersAsync(endOfStream: true);
        var answer = await envoy.ReadAsync();
        return LbMetadataDestination(answer);
    }
}
