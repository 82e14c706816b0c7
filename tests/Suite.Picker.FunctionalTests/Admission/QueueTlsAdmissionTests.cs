using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Suite.Contracts.Catalog;
using Suite.Picker.Catalog;
using Suite.Picker.FunctionalTests.Infrastructure;
using Suite.Picker.FunctionalTests.Security;
using static Suite.Picker.FunctionalTests.Infrastructure.ResponseAssertions;

namespace Suite.Picker.FunctionalTests.Admission;

/// <summary>
/// Admission through the real ext_proc path to a queue replica that requires client certificates, configured as an
/// operator would (<c>Picker:Queue:Tls</c>). The request is Sheddable on a saturated pool: routed only if the queue
/// admitted it, 429 if the picker could not reach the queue.
/// </summary>
public sealed class QueueTlsAdmissionTests : IDisposable
{
    private const string LeastLoaded = "10.0.0.2:8000";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly TestCertificates _files = new();

    [Fact]
    public async Task Process_SaturatedPoolMutualTlsQueueAdmits_RoutedAndTheQueueSawThePickersCertificate()
    {
        var (queueCertificate, queueCertificateFile, _) = _files.Server("queue-0");
        var (authority, authorityFile) = _files.Authority("picker-ca");
        await using var queue = await FakeQueueServer.StartAsync(queueCertificate, authorityFile);
        using var client = TestCertificates.Client("picker-0", authority);
        using var clientKey = client.GetECDsaPrivateKey()!;
        using var picker = Picker(queue.Address, new()
        {
            ["Picker:Queue:Tls:CaFile"] = queueCertificateFile,
            ["Picker:Queue:Tls:ClientCertificateFile"] = _files.Write("picker-0.crt", client.ExportCertificatePem()),
            ["Picker:Queue:Tls:ClientKeyFile"] = _files.Write("picker-0.key", clientKey.ExportPkcs8PrivateKeyPem()),
        });
        await using var envoy = picker.OpenStream();

        await envoy.SendRequestHeadersAsync();
        await envoy.SendRequestBodyAsync(Encoding.UTF8.GetBytes("""{"model":"batch","messages":[]}"""), endOfStream: true);
        var response = await envoy.ReadAsync().WaitAsync(Patience);

        Assert.Equal(LeastLoaded, SetHeader(response.RequestHeaders.Response, "x-gateway-destination-endpoint"));
        Assert.Equal(["CN=picker-0"], queue.ClientSubjects);
    }

    public void Dispose() => _files.Dispose();

    private static PickerFactory Picker(string queueAddress, Dictionary<string, string> tls)
    {
        var picker = new PickerFactory().With("Picker:Queue:Addresses:0", queueAddress);
        foreach (var (key, value) in tls)
        {
            picker.With(key, value);
        }

        // Queues of 12 and 6 against a threshold of 5: saturated, so every request is the queue's to admit.
        picker.Publish(PickerFactory.Endpoint("10.0.0.1:8000", waiting: 12), PickerFactory.Endpoint(LeastLoaded, waiting: 6));
        picker.Services.GetRequiredService<CatalogStore>().Publish(new CatalogSnapshot(
            "test-pool", 1, DateTimeOffset.UtcNow, [new CatalogModel("batch", Criticality.Sheddable, [])], [], []));
        return picker;
    }
}
