using Suite.Picker.Hosting;
using static Suite.Picker.UnitTests.PickerSettings;

namespace Suite.Picker.UnitTests.Security;

/// <summary><c>Picker:Tls</c> as an operator writes it, and the start-up checks.</summary>
public sealed class ExtProcTlsOptionsTests
{
    [Fact]
    public void Bind_NothingSet_IsPlaintext()
    {
        var options = Bind([]);

        Assert.False(options.Tls.Enabled);
        Assert.Equal(TimeSpan.FromSeconds(10), options.Tls.ReloadInterval);
        Assert.Empty(Failures(options));
    }

    [Fact]
    public void Bind_CertificateKeyAndClientCa_TurnsTlsOn()
    {
        var options = Bind(new()
        {
            ["Picker:Tls:CertificateFile"] = "/tls/tls.crt",
            ["Picker:Tls:KeyFile"] = "/tls/tls.key",
            ["Picker:Tls:ClientCaFile"] = "/tls/ca.crt",
            ["Picker:Tls:ReloadInterval"] = "00:01:00",
        });

        Assert.True(options.Tls.Enabled);
        Assert.Equal(("/tls/tls.crt", "/tls/tls.key", "/tls/ca.crt"), (options.Tls.CertificateFile, options.Tls.KeyFile, options.Tls.ClientCaFile));
        Assert.Equal(TimeSpan.FromMinutes(1), options.Tls.ReloadInterval);
        Assert.Empty(Failures(options));
    }

    [Theory]
    [InlineData("Picker:Tls:CertificateFile", "/tls/tls.crt")]
    [InlineData("Picker:Tls:KeyFile", "/tls/tls.key")]
    public void Validate_CertificateWithoutKeyOrKeyWithoutCertificate_FailsNamingBoth(string key, string value)
    {
        var failures = Failures(Bind(new() { [key] = value }));

        Assert.Equal(["Picker:Tls:CertificateFile and Picker:Tls:KeyFile go together: set both for TLS, or neither for h2c."], failures);
    }

    [Fact]
    public void Validate_ClientCaWithoutTls_Fails()
    {
        var failures = Failures(Bind(new() { ["Picker:Tls:ClientCaFile"] = "/tls/ca.crt" }));

        Assert.Equal(
            ["Picker:Tls:ClientCaFile asks for client certificates, which needs TLS: set Picker:Tls:CertificateFile and Picker:Tls:KeyFile too."],
            failures);
    }

    [Fact]
    public void Validate_ReloadIntervalUnderASecond_Fails()
    {
        var failures = Failures(Bind(new()
        {
            ["Picker:Tls:CertificateFile"] = "/tls/tls.crt",
            ["Picker:Tls:KeyFile"] = "/tls/tls.key",
            ["Picker:Tls:ReloadInterval"] = "00:00:00.100",
        }));

        Assert.Equal(["Picker:Tls:ReloadInterval must be between 00:00:01 and 01:00:00, not 00:00:00.1000000."], failures);
    }
}
