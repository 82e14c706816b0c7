using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Suite.Picker.Hosting;

namespace Suite.Picker.FunctionalTests.Security;

/// <summary>Certificate files that cannot be used stop the picker before it takes traffic, with exit code 2 and the key.</summary>
[Collection(StandardErrorRunsAlone.Name)]
public sealed class PickerRunTests : IDisposable
{
    private readonly TestCertificates _files = new();

    [Fact]
    public async Task RunPickerAsync_ExtProcCertificateFileWithoutACertificate_ReturnsTwoAndNamesTheKey()
    {
        var certificateFile = _files.Write("picker.crt", "not a certificate");
        var keyFile = _files.Write("picker.key", "not a key");

        var (exitCode, error) = await RunAsync(new()
        {
            ["Picker:Tls:CertificateFile"] = certificateFile,
            ["Picker:Tls:KeyFile"] = keyFile,
        });

        Assert.Equal(2, exitCode);
        Assert.StartsWith($"picker: configuration error: Picker:Tls: {certificateFile} with {keyFile}: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunPickerAsync_QueueCaFileWithoutACertificate_ReturnsTwoAndNamesTheKey()
    {
        var caFile = _files.Write("queue-ca.crt", "");

        var (exitCode, error) = await RunAsync(new()
        {
            ["Picker:Queue:Addresses:0"] = "https://queue-0.queue:9004",
            ["Picker:Queue:Tls:CaFile"] = caFile,
        });

        Assert.Equal(2, exitCode);
        Assert.Equal($"picker: configuration error: Picker:Queue:Tls:CaFile {caFile} holds no certificate.{Environment.NewLine}", error);
    }

    public void Dispose() => _files.Dispose();

    private static async Task<(int ExitCode, string Error)> RunAsync(Dictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(settings) { ["Messaging:Mode"] = "InMemory" });
        builder.AddPicker([]);
        await using var app = builder.Build();
        app.MapPicker();
        var error = new StringWriter();
        var console = Console.Error;
        Console.SetError(error);
        try
        {
            return (await app.RunPickerAsync(), error.ToString());
        }
        finally
        {
            Console.SetError(console);
        }
    }
}
