using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;

namespace Suite.Security;

public static class ServerTlsListenExtensions
{
    /// <summary>
    /// TLS on the endpoint with the current certificate for each new connection, and client certificates when
    /// <see cref="ServerTlsOptions.ClientCaFile"/> is set. The certificate is resolved at the first handshake, not here:
    /// Kestrel is configured while the app is built, before the service's start-up checks can report a bad file.
    /// </summary>
    public static ListenOptions UseServerCertificate<TCertificate>(this ListenOptions listen, ServerTlsOptions options)
        where TCertificate : ReloadingServerCertificate
    {
        ArgumentNullException.ThrowIfNull(listen);
        ArgumentNullException.ThrowIfNull(options);
        var services = listen.ApplicationServices;
        var certificate = new Lazy<TCertificate>(services.GetRequiredService<TCertificate>);
        return listen.UseHttps(new HttpsConnectionAdapterOptions
        {
            ServerCertificateSelector = (_, _) => certificate.Value.Current,
            ClientCertificateMode = string.IsNullOrEmpty(options.ClientCaFile) ? ClientCertificateMode.NoCertificate : ClientCertificateMode.RequireCertificate,
            ClientCertificateValidation = (client, chain, errors) => certificate.Value.IsTrustedClient(client, chain, errors),
        });
    }
}
