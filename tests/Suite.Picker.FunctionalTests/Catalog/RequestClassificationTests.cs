using System.Text;
using Envoy.Service.ExtProc.V3;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Suite.Contracts.Catalog;
using Suite.Picker.Catalog;
using Suite.Picker.FunctionalTests.Infrastructure;

namespace Suite.Picker.FunctionalTests.Catalog;

/// <summary>
/// The objective header's priority and the fairness id as the exchange holds them, seen in its routing log line
/// (the exchange's own properties feed it).
/// </summary>
public sealed class RequestClassificationTests : IDisposable
{
    private const string Body = """{"model":"sql-assistant","messages":[]}""";
    private const string RequestId = "req-7";

    private readonly PickerFactory _picker;

    public RequestClassificationTests()
    {
        _picker = new PickerFactory().With("Picker:PoolName", "chat-pool")
            .WithServices(services => services.AddLogging(logging => logging
                .AddFakeLogging()
                .AddFilter<FakeLoggerProvider>("Suite.Picker.ExtProc", LogLevel.Debug)));
        _picker.Publish(PickerFactory.Endpoint("10.0.0.1:8000"));
        _picker.Services.GetRequiredService<CatalogStore>().Publish(new CatalogSnapshot(
            "chat-pool",
            1,
            DateTimeOffset.UtcNow,
            [new CatalogModel("sql-assistant", Criticality.Critical, [])],
            [new CatalogObjective("interactive", 10), new CatalogObjective("batch", -1)],
            []));
    }

    [Fact]
    public async Task KnownObjective_RoutedAtItsPriorityInTheNamedFlow()
    {
        await RouteAsync(Body, new Dictionary<string, string>
        {
            ["x-gateway-inference-objective"] = "batch",
            ["x-gateway-inference-fairness-id"] = "tenant-a",
        });

        var routed = Logged("Routed");
        Assert.Equal(("sql-assistant", "-1", "tenant-a"), (routed["Model"], routed["Priority"], routed["FairnessId"]));
        Assert.Empty(Records("UnknownObjective"));
    }

    [Fact]
    public async Task UnknownObjective_PriorityZeroInTheDefaultFlowAndLoggedAsUnknown()
    {
        await RouteAsync(Body, new Dictionary<string, string> { ["x-gateway-inference-objective"] = "premium" });

        var routed = Logged("Routed");
        Assert.Equal(("0", "default-flow"), (routed["Priority"], routed["FairnessId"]));
        var unknown = Assert.Single(Records("UnknownObjective"));
        Assert.Equal(LogLevel.Debug, unknown.Level);
        Assert.Equal("premium", unknown.GetStructuredStateValue("Objective"));
    }

    [Fact]
    public async Task NoObjective_PriorityZeroAndNothingLoggedAsUnknown()
    {
        await RouteAsync(Body, new Dictionary<string, string> { ["x-gateway-inference-fairness-id"] = "tenant-b" });

        var routed = Logged("Routed");
        Assert.Equal(("0", "tenant-b"), (routed["Priority"], routed["FairnessId"]));
        Assert.Empty(Records("UnknownObjective"));
    }

    [Fact]
    public async Task HeaderOnlyRequest_NoModel_PriorityAndFlowFromTheHeaders()
    {
        await using var envoy = _picker.OpenStream();
        await envoy.SendRequestHeadersAsync(path: "/v1/models", endOfStream: true, headers: Headers(new Dictionary<string, string>
        {
            ["x-gateway-inference-objective"] = "interactive",
            ["x-gateway-inference-fairness-id"] = "tenant-c",
        }));
        var answer = await envoy.ReadAsync();

        Assert.Equal(ProcessingResponse.ResponseOneofCase.RequestHeaders, answer.ResponseCase);
        var routed = Logged("Routed");
        Assert.Equal((null, "10", "tenant-c"), (routed["Model"], routed["Priority"], routed["FairnessId"]));
    }

    public void Dispose() => _picker.Dispose();

    private async Task RouteAsync(string body, Dictionary<string, string> headers)
    {
        await using var envoy = _picker.OpenStream();
        await envoy.SendRequestHeadersAsync(headers: Headers(headers));
        await envoy.SendRequestBodyAsync(Encoding.UTF8.GetBytes(body), endOfStream: true);
        var answer = await envoy.ReadAsync();
        Assert.Equal(ProcessingResponse.ResponseOneofCase.RequestHeaders, answer.ResponseCase);
        await envoy.ReadStreamedRequestBodyAsync();
    }

    private static Dictionary<string, string> Headers(Dictionary<string, string> headers)
    {
        headers["x-request-id"] = RequestId;
        return headers;
    }

    // The exchange logs before it writes its answer, so the record is in by the time the answer is read.
    private IReadOnlyList<FakeLogRecord> Records(string eventName) =>
        [.. _picker.Services.GetFakeLogCollector().GetSnapshot()
            .Where(record => record.Id.Name == eventName && record.GetStructuredStateValue("RequestId") == RequestId)];

    private Dictionary<string, string?> Logged(string eventName) =>
        Assert.Single(Records(eventName)).StructuredState!.ToDictionary(pair => pair.Key, pair => pair.Value);
}
