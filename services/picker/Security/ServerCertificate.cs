using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Suite.Picker.Configuration;

namespace Suite.Picker.Security;

/// <summary>
/// The ext_proc port's certificate, read from PEM files and re-read when they change (cert-manager renews by
/// rewriting the Secret's files), so renewal needs no restart. A renewed pair that does not load is reported and
/// the current certificate stays. With a client CA, client certificates are checked against it alone.
/// </summary>
public sealed class ServerCertificate : IDisposable
{
    private readonly ExtProcTlsOptions _options;
    private readonly X509Certificate2Collection? _clientRoots;
    private readonly ITimer _timer;
    private readonly Lock _lock = new();
    private X509Certificate2 _current;
    private DateTime _certificateWritten;
    private DateTime _keyWritten;

    /// <exception cref="ConfigurationFileException">The files cannot be read or do not hold a certificate and its key.</exception>
    public ServerCertificate(ExtProcTlsOptions options, TimeProvider time)
    {
        _options = options;
        (_current, _certificateWritten, _keyWritten) = Load()
            ?? throw new ConfigurationFileException($"Picker:Tls: {LastError}");
        if (!string.IsNullOrEmpty(options.ClientCaFile))
        {
            _clientRoots = [];
            try
            {
                _clientRoots.ImportFromPemFile(options.ClientCaFile);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
            {
                throw new ConfigurationFileException($"Picker:Tls:ClientCaFile {options.ClientCaFile}: {e.Message}");
            }

            if (_clientRoots.Count == 0)
            {
                throw new ConfigurationFileException($"Picker:Tls:ClientCaFile {options.ClientCaFile} holds no certificate.");
            }
        }

        _timer = time.CreateTimer(_ => CheckNow(), null, options.ReloadInterval, options.ReloadInterval);
    }

    /// <summary>The certificate new connections get.</summary>
    public X509Certificate2 Current => Volatile.Read(ref _current);

    /// <summary>Whether clients must present a certificate from the client CA.</summary>
    public bool RequiresClientCertificate => _clientRoots is not null;

    /// <summary>Why the last reload failed; null once one succeeds.</summary>
    public string? LastError { get; private set; }

    /// <summary>Re-reads the files if either was rewritten since the last load; returns whether a new certificate is in use.</summary>
    public bool CheckNow()
    {
        lock (_lock)
        {
            if (File.GetLastWriteTimeUtc(_options.CertificateFile!) == _certificateWritten
                && File.GetLastWriteTimeUtc(_options.KeyFile!) == _keyWritten)
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

    /// <summary>Kestrel's client-certificate check: the chain must end at one of the client CA's certificates.</summary>
    public bool IsTrustedClient(X509Certificate2 certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (_clientRoots is null)
        {
            return true;
        }

        using var own = new X509Chain();
        own.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        own.ChainPolicy.CustomTrustStore.AddRange(_clientRoots);
        own.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return own.Build(certificate);
    }

    public void Dispose() => _timer.Dispose();

    private (X509Certificate2, DateTime, DateTime)? Load()
    {
        try
        {
            var certificateWritten = File.GetLastWriteTimeUtc(_options.CertificateFile!);
            var keyWritten = File.GetLastWriteTimeUtc(_options.KeyFile!);
            var certificate = X509Certificate2.CreateFromPemFile(_options.CertificateFile!, _options.KeyFile);
            LastError = null;
            return (certificate, certificateWritten, keyWritten);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            LastError = $"{_options.CertificateFile} with {_options.KeyFile}: {e.Message}";
            return null;
        }
    }
}
