namespace Suite.Picker.Security;

/// <summary>
/// TLS on the ext_proc port (<c>Picker:Tls</c>), as gateways configure it for an endpoint picker outside the mesh.
/// Without a certificate the port speaks h2c. The health port stays plaintext: kubelet gRPC probes do not do TLS.
/// </summary>
public sealed class ExtProcTlsOptions
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

    internal static void Check(ExtProcTlsOptions tls, List<string> failures)
    {
        const string Prefix = "Picker:Tls";
        if (string.IsNullOrEmpty(tls.CertificateFile) != string.IsNullOrEmpty(tls.KeyFile))
        {
            failures.Add($"{Prefix}:{nameof(CertificateFile)} and {Prefix}:{nameof(KeyFile)} go together: set both for TLS, or neither for h2c.");
        }

        if (!string.IsNullOrEmpty(tls.ClientCaFile) && !tls.Enabled)
        {
            failures.Add($"{Prefix}:{nameof(ClientCaFile)} asks for client certificates, which needs TLS: set {Prefix}:{nameof(CertificateFile)} and {Prefix}:{nameof(KeyFile)} too.");
        }

        if (tls.ReloadInterval < TimeSpan.FromSeconds(1) || tls.ReloadInterval > TimeSpan.FromHours(1))
        {
            failures.Add($"{Prefix}:{nameof(ReloadInterval)} must be between 00:00:01 and 01:00:00, not {tls.ReloadInterval}.");
        }
    }
}
