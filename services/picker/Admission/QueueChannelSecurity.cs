using System.Net.Security;
using Suite.Picker.Hosting;
using Suite.Security;

namespace Suite.Picker.Admission;

/// <summary>
/// The picker's side of TLS to the queue: the CA its certificate must chain to, and the client certificate to present
/// (re-read when renewed, as the servers' certificates are). Files are loaded once, when the queue client is made.
/// </summary>
internal sealed class QueueChannelSecurity : IDisposable
{
    internal const string Section = $"{PickerOptions.Section}:{nameof(PickerOptions.Queue)}:{nameof(AdmissionQueueOptions.Tls)}";

    // The same cadence as the servers' default Tls:ReloadInterval.
    private static readonly TimeSpan ReloadInterval = TimeSpan.FromSeconds(10);

    private readonly CertificateAuthority? _authority;
    private readonly PemCertificate? _clientCertificate;

    /// <exception cref="CertificateFileException">A file cannot be read or does not hold what it should.</exception>
    public QueueChannelSecurity(QueueClientTlsOptions options, TimeProvider time)
    {
        if (!string.IsNullOrEmpty(options.CaFile))
        {
            _authority = CertificateAuthority.Load($"{Section}:{nameof(options.CaFile)}", options.CaFile);
        }

        if (options.PresentsCertificate)
        {
            _clientCertificate = new PemCertificate(Section, options.ClientCertificateFile!, options.ClientKeyFile!, ReloadInterval, time);
        }
    }

    /// <summary>Applies the CA and the client certificate to a handler's TLS settings; without either, the defaults stay.</summary>
    public void Apply(SslClientAuthenticationOptions ssl)
    {
        if (_authority is { } authority)
        {
            ssl.RemoteCertificateValidationCallback = (_, certificate, _, errors) => authority.IsTrustedServer(certificate, errors);
        }

        if (_clientCertificate is { } client)
        {
            // Asked per handshake, so a renewed certificate is presented on the next connection.
            ssl.LocalCertificateSelectionCallback = (_, _, _, _, _) => client.Current;
        }
    }

    public void Dispose() => _clientCertificate?.Dispose();
}
