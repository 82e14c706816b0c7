using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Suite.Security;

/// <summary>
/// A gRPC port's certificate (<see cref="PemCertificate"/>, renewed without restart) and, with a client CA, the check
/// that client certificates chain to it alone.
/// </summary>
public class ReloadingServerCertificate : IDisposable
{
    private readonly PemCertificate _certificate;
    private readonly CertificateAuthority? _clientAuthority;

    /// <param name="section">The options' configuration section, named in errors (e.g. <c>Queue:Tls</c>).</param>
    /// <exception cref="CertificateFileException">A file cannot be read or does not hold what it should.</exception>
    public ReloadingServerCertificate(ServerTlsOptions options, string section, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _certificate = new PemCertificate(section, options.CertificateFile!, options.KeyFile!, options.ReloadInterval, time);
        if (!string.IsNullOrEmpty(options.ClientCaFile))
        {
            try
            {
                _clientAuthority = CertificateAuthority.Load($"{section}:{nameof(options.ClientCaFile)}", options.ClientCaFile);
            }
            catch
            {
                _certificate.Dispose();
                throw;
            }
        }
    }

    /// <summary>The certificate new connections get.</summary>
    public X509Certificate2 Current => _certificate.Current;

    /// <summary>Whether clients must present a certificate from the client CA.</summary>
    public bool RequiresClientCertificate => _clientAuthority is not null;

    /// <summary>Why the last reload failed; null once one succeeds.</summary>
    public string? LastError => _certificate.LastError;

    /// <summary>Re-reads the files if either was rewritten since the last load; returns whether a new certificate is in use.</summary>
    public bool CheckNow() => _certificate.CheckNow();

    /// <summary>Kestrel's client-certificate check: the chain must end at one of the client CA's certificates.</summary>
    public bool IsTrustedClient(X509Certificate2 certificate, X509Chain? chain, SslPolicyErrors errors) =>
        _clientAuthority is null || _clientAuthority.Issued(certificate);

    public void Dispose()
    {
        _certificate.Dispose();
        GC.SuppressFinalize(this);
    }
}
