using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Suite.Picker.FunctionalTests.Security;
using Suite.Queue.Hosting;

namespace Suite.Queue.Tests.Security;

/// <summary>A certificate file that cannot be used stops the queue before it takes traffic, with exit code 2.</summary>
[Collection(StandardErrorTests.Name)]
public sealed class QueueRunTests : IDisposable
{
    private readonly TestCertificates _files = new();

    [Fact]
    public async Task RunQueueAsync_CertificateFileWithoutACertificate_ReturnsTwoAndNamesTheKey()
    {
        var certificateFile = _files.Write("queue.crt", "not a certificate");
        var keyFile = _files.Write("queue.key", "not a key");
        await using var app = Build(new()
        {
            ["Queue:Tls:CertificateFile"] = certificateFile,
            ["Queue:Tls:KeyFile"] = keyFile,
        });
        var error = new StringWriter();
        var console = Console.Error;
        Console.SetError(error);

        int exitCode;
        try
        {
            exitCode = await app.RunQueueAsync();
        }
        finally
        {
            Console.SetError(console);
        }

        Assert.Equal(2, exitCode);
        Assert.StartsWith($"queue: configuration error: Queue:Tls: {certificateFile} with {keyFile}: ", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunQueueAsync_ClientCaFileMissing_ReturnsTwoAndNamesTheKey()
    {
        var (_, certificateFile, keyFile) = _files.Server("queue-a");
        var missing = Path.Combine(Path.GetTempPath(), "no-such-ca-7c1f.crt");
        await using var app = Build(new()
        {
            ["Queue:Tls:CertificateFile"] = certificateFile,
            ["Queue:Tls:KeyFile"] = keyFile,
            ["Queue:Tls:ClientCaFile"] = missing,
        });
        var error = new StringWriter();
        var console = Console.Error;
        Console.SetError(error);

        int exitCode;
        try
        {
            exitCode = await app.RunQueueAsync();
        }
        finally
        {
            Console.SetError(console);
        }

        Assert.Equal(2, exitCode);
        Assert.StartsWith($"queue: configuration error: Queue:Tls:ClientCaFile {missing}: ", error.ToString(), StringComparison.Ordinal);
    }

    public void Dispose() => _files.Dispose();

    private static WebApplication Build(Dictionary<string, string?> tls)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(tls) { ["Queue:GrpcPort"] = "0", ["Queue:HttpPort"] = "0", ["Messaging:Mode"] = "InMemory" });
        builder.AddQueue([]);
        var app = builder.Build();
        app.MapQueue();
        return app;
    }
}
