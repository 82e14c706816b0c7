using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Suite.Security;

/// <summary>
/// A certificate and its key read from PEM files and re-read when they change (cert-manager renews by rewriting the
/// Secret's files), so renewal needs no restart. A renewed pair that does not load is reported and the current one stays.
/// </summary>
public sealed class PemCertificate : IDisposable
{
    private readonly string _certificateFile;
    private readonly string _keyFile;
    private readonly ITimer _timer;
    private readonly Lock _lock = new();
    private X509Certificate2 _current;
    private DateTime _certificateWritten;
    private DateTime _keyWritten;

    /// <param name="setting">The configuration section named in errors, e.g. <c>Queue:Tls</c>.</param>
    /// <exception cref="CertificateFileException">The files cannot be read or do not hold a certificate and its key.</exception>
    public PemCertificate(string setting, string certificateFile, string keyFile, TimeSpan reloadInterval, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _certificateFile = certificateFile;
        _keyFile = keyFile;
        (_current, _certificateWritten, _keyWritten) = Load() ?? throw new CertificateFileException($"{setting}: {LastError}");
        _timer = time.CreateTimer(_ => CheckNow(), null, reloadInterval, reloadInterval);
    }

    /// <summary>The certificate new connections get.</summary>
    public X509Certificate2 Current => Volatile.Read(ref _current);

    /// <summary>Why the last reload failed; null once one succeeds.</summary>
    public string? LastError { get; private set; }

    /// <summary>Re-reads the files if either was rewritten since the last load; returns whether a new certificate is in use.</summary>
    public bool CheckNow()
    {
        lock (_lock)
        {
            if (File.GetLastWriteTimeUtc(_certificateFile) == _certificateWritten && File.GetLastWriteTimeUtc(_keyFile) == _keyWritten)
            {
                return false;
            }

            if (Load() is not { } loaded)
            {
                return false;
            }

            (var certificate, _certificateWritten, _keyWritten) = loaded;
            Volatile.Write(ref _current, certificate);
            return true;
        }
    }

    public void Dispose() => _timer.Dispose();

    private (X509Certificate2, DateTime, DateTime)? Load()
    {
        try
        {
            var certificateWritten = File.GetLastWriteTimeUtc(_certificateFile);
            var keyWritten = File.GetLastWriteTimeUtc(_keyFile);
            var certificate = X509Certificate2.CreateFromPemFile(_certificateFile, _keyFile);
            LastError = null;
            return (certificate, certificateWritten, keyWritten);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            LastError = $"{_certificateFile} with {_keyFile}: {e.Message}";
            return null;
        }
    }
}
