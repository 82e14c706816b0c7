namespace Suite.Picker.Admission;

/// <summary>
/// How the picker secures its calls to a queue that serves TLS (<c>Picker:Queue:Tls</c>), used with <c>https://</c>
/// addresses. Without a CA file the queue's certificate must chain to the system's trusted roots.
/// </summary>
public sealed class QueueClientTlsOptions
{
    /// <summary>PEM CA bundle the queue's certificate must chain to, instead of the system's roots (e.g. a cert-manager <c>ca.crt</c>).</summary>
    public string? CaFile { get; set; }

    /// <summary>PEM certificate the picker presents when the queue asks for one (<c>Queue:Tls:ClientCaFile</c>); re-read when renewed.</summary>
    public string? ClientCertificateFile { get; set; }

    /// <summary>PEM private key of <see cref="ClientCertificateFile"/>.</summary>
    public string? ClientKeyFile { get; set; }

    public bool PresentsCertificate => !string.IsNullOrEmpty(ClientCertificateFile);

    /// <summary>Whether any setting is given, which only https:// addresses can honour.</summary>
    public bool Configured => !string.IsNullOrEmpty(CaFile) || !string.IsNullOrEmpty(ClientCertificateFile) || !string.IsNullOrEmpty(ClientKeyFile);
}
