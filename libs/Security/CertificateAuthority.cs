using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Suite.Security;

/// <summary>A PEM CA bundle that alone decides which peer certificates are trusted (the system store plays no part).</summary>
public sealed class CertificateAuthority
{
    private readonly X509Certificate2Collection _roots;

    private CertificateAuthority(X509Certificate2Collection roots) => _roots = roots;

    /// <param name="setting">The key named in errors, e.g. <c>Queue:Tls:ClientCaFile</c>.</param>
    /// <exception cref="CertificateFileException">The file cannot be read or holds no certificate.</exception>
    public static CertificateAuthority Load(string setting, string file)
    {
        X509Certificate2Collection roots = [];
        try
        {
            roots.ImportFromPemFile(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new CertificateFileException($"{setting} {file}: {e.Message}");
        }

        return roots.Count == 0 ? throw new CertificateFileException($"{setting} {file} holds no certificate.") : new CertificateAuthority(roots);
    }

    /// <summary>Whether the certificate chains to one of the bundle's certificates.</summary>
    public bool Issued(X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }

    /// <summary>
    /// A client's check of a server: the name must match the address (the platform checked that) and the chain must
    /// end at the bundle; the platform's own chain verdict is ignored, as it trusts the system store instead.
    /// </summary>
    public bool IsTrustedServer(X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
        {
            return false;
        }

        if (certificate is X509Certificate2 presented)
        {
            return Issued(presented);
        }

        using var copy = new X509Certificate2(certificate);
        return Issued(copy);
    }
}
