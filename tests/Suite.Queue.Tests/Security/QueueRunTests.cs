using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Suite.Picker.FunctionalTests.Security;
using Suite.Queue.Hosting;

namespace Suite.Queue.Tests.Security;

/// <summary>A certificate file that cannot be used stops the queue before it takes traffic, with exit code 2 and the key.</summary>
[Collection(StandardErrorRunsAlone.Name)]
public sealed class QueueRunTests : IDisposable
{
    private readonly TestCertificates _files = new();

    [Fact]
    public async Task RunQueueAsync_CertificateFileWithoutACertificate_ReturnsTwoAndNamesTheKey()
    {
        var certificateFile = _files.Write("queue.crt", "not a certificate");
        var keyFile = _files.Write("queue.key", "not a key");

        var (exitCode, error) = await RunAsync(new()
        {
            ["Queue:Tls:CertificateFile"] = certificateFile,
            ["Queue:Tls:KeyFile"] = keyFile,
        });

        Assert.Equal(2, exitCode);
        Assert.StartsWith($"queue: configuration error: Queue:Tls: {certificateFile} with {keyFile}: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunQueueAsync_ClientCaFileMissing_ReturnsTwoAndNamesTheKey()
    {
        var (_, certificateFile, keyFile) = _files.Server("queue-a");
        var missing = Path.Combine(Path.GetTempPath(), "no-such-ca-7c1f.crt");

        var (exitCode, error) = await RunAsync(new()
        {
            ["Queue:Tls:CertificateFile"] = certificateFile,
            ["Queue:Tls:KeyFile"] = keyFile,
            ["Queue:Tls:ClientCaFile"] = missing,
        });

        Assert.Equal(2, exitCode);
        Assert.StartsWith($"queue: configuration error: Queue:Tls:ClientCaFile {missing}: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunQueueAsync_KeyWithoutCertificate_ReturnsTwoWithTheValidationMessage()
    {
        var (exitCode, error) = await RunAsync(new() { ["Queue:Tls:KeyFile"] = "/tls/tls.key" });

        Assert.Equal(2, exitCode);
        Assert.Equal(
            $"queue: configuration error: Queue:Tls:CertificateFile and Queue:Tls:KeyFile go together: set both for TLS, or neither for h2c.{Environment.NewLine}",
            error);
    }

    public void Dispose() => _files.Dispose();

    private static async Task<(int ExitCode, string Error)> RunAsync(Dictionary<string, string?> tls)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(tls)
        {
            ["Queue:GrpcPort"] = "0",
            ["Queue:HttpPort"] = "0",
            ["Queue:ShardIndex"] = "0", // not from HOSTNAME, whatever this machine is called
            // Dapr, as deployed: the in-process bus subscribes its handlers in MapQueue, before the start-up check.
            ["Messaging:Mode"] = "Dapr",
        });
        builder.AddQueue([]);
        await using var app = builder.Build();
        app.MapQueue();
        var error = new StringWriter();
        var console = Console.Error;
        Console.SetError(error);
        try
        {
            return (await app.RunQueueAsync(), error.ToString());
        }
        finally
        {
            Console.SetError(console);
        }
    }
}
