namespace Suite.Security;

/// <summary>
/// TLS on a gRPC port, optionally with client certificates (mutual TLS). Without a certificate the port speaks h2c.
/// Each service binds it under its own section (<c>Picker:Tls</c>, <c>Queue:Tls</c>).
/// </summary>
public class ServerTlsOptions
{
    /// <summary>PEM certificate chain, server certificate first (e.g. a cert-manager Secret's <c>tls.crt</c>).</summary>
    public string? CertificateFile { get; set; }

    /// <summary>PEM private key of the certificate (<c>tls.key</c>).</summary>
    public string? KeyFile { get; set; }

    /// <summary>PEM CA bundle. When set, clients must present a certificate that chains to it (mutual TLS).</summary>
    public string? ClientCaFile { get; set; }

    /// <summary>How often the files are checked for a renewed certificate; a new one serves new connections.</summary>
    public TimeSpan ReloadInterval { get; set; } = TimeSpan.FromSeconds(10);

    public bool Enabled => !string.IsNullOrEmpty(CertificateFile);

    /// <summary>Start-up checks; each failure names its key under <paramref name="section"/>.</summary>
    public void Check(string section, List<string> failures)
    {
        ArgumentNullException.ThrowIfNull(failures);
        if (string.IsNullOrEmpty(CertificateFile) != string.IsNullOrEmpty(KeyFile))
        {
            failures.Add($"{section}:{nameof(CertificateFile)} and {section}:{nameof(KeyFile)} go together: set both for TLS, or neither for h2c.");
        }

        if (!string.IsNullOrEmpty(ClientCaFile) && !Enabled)
        {
            failures.Add($"{section}:{nameof(ClientCaFile)} asks for client certificates, which needs TLS: set {section}:{nameof(CertificateFile)} and {section}:{nameof(KeyFile)} too.");
        }

        if (ReloadInterval < TimeSpan.FromSeconds(1) || ReloadInterval > TimeSpan.FromHours(1))
        {
            failures.Add($"{section}:{nameof(ReloadInterval)} must be between 00:00:01 and 01:00:00, not {ReloadInterval}.");
        }
    }
}
