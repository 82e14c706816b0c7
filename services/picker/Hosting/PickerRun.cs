using Microsoft.Extensions.Options;
using Suite.Picker.Admission;
using Suite.Picker.Configuration;
using Suite.Picker.Pools;
using Suite.Picker.Security;
using Suite.Security;

namespace Suite.Picker.Hosting;

public static class PickerRun
{
    /// <summary>
    /// Loads settings, the scheduling profile and the pool file before taking traffic, then runs the picker.
    /// A bad setting or file ends it with exit code 2 and one line that names the key.
    /// </summary>
    public static async Task<int> RunPickerAsync(this WebApplication app)
    {
        try
        {
            var options = app.Services.GetRequiredService<IOptions<PickerOptions>>().Value;
            if (options.Tls.Enabled)
            {
                _ = app.Services.GetRequiredService<ServerCertificate>();
            }

            _ = app.Services.GetRequiredService<IAdmissionQueueClient>(); // loads the Picker:Queue:Tls files
            _ = app.Services.GetRequiredService<ProfileStore>().Current;
            app.Services.GetRequiredService<PoolFileSource>().Start();
        }
        catch (Exception e) when (e is ConfigurationFileException or CertificateFileException or OptionsValidationException)
        {
            await Console.Error.WriteLineAsync($"picker: configuration error: {e.Message}");
            return 2;
        }

        await app.RunAsync();
        return 0;
    }
}
