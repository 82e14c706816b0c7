using Microsoft.Extensions.Configuration;
using Suite.Queue.Hosting;

namespace Suite.Queue.Tests.Security;

/// <summary>
/// <c>Queue:Tls</c> binds and is checked at start-up under the queue's own section. The rules themselves are the
/// shared <c>ServerTlsOptions</c> checks, tested in full under <c>Picker:Tls</c> (<c>ExtProcTlsOptionsTests</c>).
/// </summary>
public sealed class QueueTlsOptionsTests
{
    [Fact]
    public void Bind_NothingSet_IsPlaintext()
    {
        var options = Bind([]);

        Assert.False(options.Tls.Enabled);
        Assert.Empty(Failures(options));
    }

    [Fact]
    public void Bind_CertificateKeyAndClientCa_TurnsTlsOn()
    {
        var options = Bind(new()
        {
            ["Queue:Tls:CertificateFile"] = "/tls/tls.crt",
            ["Queue:Tls:KeyFile"] = "/tls/tls.key",
            ["Queue:Tls:ClientCaFile"] = "/tls/ca.crt",
            ["Queue:Tls:ReloadInterval"] = "00:01:00",
        });

        Assert.True(options.Tls.Enabled);
        Assert.Equal(("/tls/tls.crt", "/tls/tls.key", "/tls/ca.crt"), (options.Tls.CertificateFile, options.Tls.KeyFile, options.Tls.ClientCaFile));
        Assert.Equal(TimeSpan.FromMinutes(1), options.Tls.ReloadInterval);
        Assert.Empty(Failures(options));
    }

    [Fact]
    public void Validate_ClientCaWithoutTls_FailsNamingTheQueuesKeys()
    {
        var failures = Failures(Bind(new() { ["Queue:Tls:ClientCaFile"] = "/tls/ca.crt" }));

        Assert.Equal(
            ["Queue:Tls:ClientCaFile asks for client certificates, which needs TLS: set Queue:Tls:CertificateFile and Queue:Tls:KeyFile too."],
            failures);
    }

    private static QueueOptions Bind(Dictionary<string, string?> settings)
    {
        var options = new QueueOptions { ShardIndex = 0 };
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection(QueueOptions.Section).Bind(options);
        return options;
    }

    private static string[] Failures(QueueOptions options)
    {
        var result = new QueueOptionsValidator().Validate(null, options);
        return result.Failed ? [.. result.Failures!] : [];
    }
}
