using Microsoft.Extensions.Options;
using Suite.Security;

namespace Suite.Queue.Hosting;

public static class QueueRun
{
    /// <summary>
    /// Checks the settings and loads the gRPC port's certificate before taking traffic, then runs the queue.
    /// A bad setting or certificate file ends it with exit code 2 and one line that names the key.
    /// </summary>
    public static async Task<int> RunQueueAsync(this WebApplication app)
    {
        try
        {
            var options = app.Services.GetRequiredService<IOptions<QueueOptions>>().Value;
            if (options.Tls.Enabled)
            {
                _ = app.Services.GetRequiredService<ReloadingServerCertificate>();
            }
        }
        catch (Exception e) when (e is CertificateFileException or OptionsValidationException)
        {
            await Console.Error.WriteLineAsync($"queue: configuration error: {e.Message}");
            return 2;
        }

        await app.RunAsync();
        return 0;
    }
}
