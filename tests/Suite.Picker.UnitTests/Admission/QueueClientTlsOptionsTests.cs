using static Suite.Picker.UnitTests.PickerSettings;

namespace Suite.Picker.UnitTests.Admission;

/// <summary><c>Picker:Queue:Tls</c> as an operator writes it, and the start-up checks.</summary>
public sealed class QueueClientTlsOptionsTests
{
    [Fact]
    public void Bind_CaAndClientCertificate_WithHttpsAddresses_Passes()
    {
        var options = Bind(new()
        {
            ["Picker:Queue:Addresses:0"] = "https://queue-0.queue:9004",
            ["Picker:Queue:Tls:CaFile"] = "/queue-tls/ca.crt",
            ["Picker:Queue:Tls:ClientCertificateFile"] = "/queue-tls/tls.crt",
            ["Picker:Queue:Tls:ClientKeyFile"] = "/queue-tls/tls.key",
        });

        Assert.Equal(
            ("/queue-tls/ca.crt", "/queue-tls/tls.crt", "/queue-tls/tls.key"),
            (options.Queue.Tls.CaFile, options.Queue.Tls.ClientCertificateFile, options.Queue.Tls.ClientKeyFile));
        Assert.Empty(Failures(options));
    }

    [Fact]
    public void Validate_HttpsAddressWithoutTlsSettings_PassesTrustingTheSystemRoots()
    {
        var options = Bind(new() { ["Picker:Queue:Addresses:0"] = "https://queue-0.queue:9004" });

        Assert.False(options.Queue.Tls.Configured);
        Assert.Empty(Failures(options));
    }

    [Fact]
    public void Validate_CaFileWithAPlaintextAddress_NamesTheAddress()
    {
        var options = Bind(new()
        {
            ["Picker:Queue:Addresses:0"] = "https://queue-0.queue:9004",
            ["Picker:Queue:Addresses:1"] = "http://queue-1.queue:9004",
            ["Picker:Queue:Tls:CaFile"] = "/queue-tls/ca.crt",
        });

        Assert.Equal(
            ["Picker:Queue:Addresses:1 must be https://host:port when Picker:Queue:Tls is set, not 'http://queue-1.queue:9004'."],
            Failures(options));
    }

    [Theory]
    [InlineData("Picker:Queue:Tls:ClientCertificateFile", "/queue-tls/tls.crt")]
    [InlineData("Picker:Queue:Tls:ClientKeyFile", "/queue-tls/tls.key")]
    public void Validate_ClientCertificateOrKeyAlone_Fails(string key, string value)
    {
        var options = Bind(new() { ["Picker:Queue:Addresses:0"] = "https://queue-0.queue:9004", [key] = value });

        Assert.Equal(
            ["Picker:Queue:Tls:ClientCertificateFile and Picker:Queue:Tls:ClientKeyFile go together: set both to present a client certificate, or neither."],
            Failures(options));
    }
}
