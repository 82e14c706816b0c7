using System.Net;
using System.Text;
using System.Text.Json;
using Envoy.Service.ExtProc.V3;
using Envoy.Type.V3;
using Microsoft.Extensions.DependencyInjection;
using Suite.Contracts.Catalog;
using Suite.Contracts.Serialization;
using Suite.Picker.Catalog;
using Suite.Picker.FunctionalTests.Infrastructure;
using Suite.Picker.Scheduling;
using static Suite.Picker.FunctionalTests.Infrastructure.ResponseAssertions;

namespace Suite.Picker.FunctionalTests.Catalog;

/// <summary>The pool's catalog applied per request: public name → weighted target, spliced into the body.</summary>
public sealed class CatalogResolutionTests : IDisposable
{
    private const string Body = """{"model":"sql-assistant","messages":[{"role":"user","content":"List the tables."}],"temperature":0.2}""";

    private readonly FixedRandom _random = new();
    private PickerFactory _picker;

    public CatalogResolutionTests()
    {
        _picker = Picker(unknownModels: null);
    }

    [Fact]
    public async Task CatalogModel_WeightedSplit_BodyCarriesTheChosenTargetByteExactly()
    {
        _random.Int = 95; // in the 90/10 split over 100, the point 95 falls in v2's share
        PublishCatalog(new CatalogModel("sql-assistant", Criticality.Critical, [new("sql-lora-v1", 90), new("sql-lora-v2", 10)]));

        var (headers, body) = await RouteAsync(Body);

        var expected = Body.Replace("\"sql-assistant\"", "\"sql-lora-v2\"", StringComparison.Ordinal);
        Assert.Equal(expected, Encoding.UTF8.GetString(body));
        Assert.Equal(Encoding.UTF8.GetByteCount(expected).ToString(System.Globalization.CultureInfo.InvariantCulture), SetHeader(headers.RequestHeaders.Response, "content-length"));
    }

    [Fact]
    public async Task CatalogModel_LowPoint_FirstTargetAndTheBodyOtherwiseUntouched()
    {
        _random.Int = 3;
        PublishCatalog(new CatalogModel("sql-assistant", Criticality.Standard, [new("sql-lora-v1", 90), new("sql-lora-v2", 10)]));

        var (_, body) = await RouteAsync(Body);

        Assert.Equal(Body.Replace("\"sql-assistant\"", "\"sql-lora-v1\"", StringComparison.Ordinal), Encoding.UTF8.GetString(body));
    }

    [Fact]
    public async Task UnknownModel_PassThroughPolicy_RoutedUnchanged()
    {
        PublishCatalog(new CatalogModel("other", Criticality.Standard, []));

        var (headers, body) = await RouteAsync(Body);

        Assert.Equal(Body, Encoding.UTF8.GetString(body));
        Assert.Null(SetHeader(headers.RequestHeaders.Response, "content-length"));
    }

    [Fact]
    public async Task UnknownModel_RejectPolicy_404WithAnOpenAiError()
    {
        _picker.Dispose();
        _picker = Picker(unknownModels: "Reject");
        PublishCatalog(new CatalogModel("other", Criticality.Standard, []));
        await using var envoy = _picker.OpenStream();

        await envoy.SendRequestHeadersAsync();
        await envoy.SendRequestBodyAsync(Encoding.UTF8.GetBytes(Body), endOfStream: true);
        var answer = await envoy.ReadAsync();

        Assert.Equal(ProcessingResponse.ResponseOneofCase.ImmediateResponse, answer.ResponseCase);
        Assert.Equal(StatusCode.NotFound, answer.ImmediateResponse.Status.Code);
        using var error = JsonDocument.Parse(answer.ImmediateResponse.Body.ToStringUtf8());
        Assert.Equal("The model 'sql-assistant' does not exist in this pool's catalog.", error.RootElement.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal("invalid_request_error", error.RootElement.GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public async Task ExactRewrite_OnlyItClaimsTheName_BodyCarriesTheChosenTargetByteExactly()
    {
        _random.Int = 95; // in the 90/10 split over 100, the point 95 falls in the second target's share
        PublishCatalog(
            [new CatalogModel("other", Criticality.Critical, [])],
            [new CatalogRewrite("sql-assistant", [new("llama-3.1-70b-instruct", 90), new("llama-3.1-8b", 10)])]);

        var (headers, body) = await RouteAsync(Body);

        var expected = Body.Replace("\"sql-assistant\"", "\"llama-3.1-8b\"", StringComparison.Ordinal);
        Assert.Equal(expected, Encoding.UTF8.GetString(body));
        Assert.Equal(Encoding.UTF8.GetByteCount(expected).ToString(System.Globalization.CultureInfo.InvariantCulture), SetHeader(headers.RequestHeaders.Response, "content-length"));
    }

    [Fact]
    public async Task ExactRewrite_NamedByTheRewriteHeader_ItsTargetReplacesTheBodysModel()
    {
        _random.Int = 0;
        PublishCatalog([], [new CatalogRewrite("gpt-4o", [new("llama-3.1-70b-instruct", 90), new("llama-3.1-8b", 10)])]);

        var (_, body) = await RouteAsync(Body, new Dictionary<string, string> { ["x-gateway-model-name-rewrite"] = "gpt-4o" });

        Assert.Equal(Body.Replace("\"sql-assistant\"", "\"llama-3.1-70b-instruct\"", StringComparison.Ordinal), Encoding.UTF8.GetString(body));
    }

    [Fact]
    public async Task CatchAllRewrite_RejectPolicy_CatchesTheOtherwiseUnknownName()
    {
        _picker.Dispose();
        _picker = Picker(unknownModels: "Reject");
        PublishCatalog(
            [new CatalogModel("other", Criticality.Standard, [])],
            [new CatalogRewrite("gpt-4o", [new("llama-3.1-70b-instruct", 1)]), new CatalogRewrite(null, [new("fallback-7b", 1)])]);

        var (headers, body) = await RouteAsync(Body);

        var expected = Body.Replace("\"sql-assistant\"", "\"fallback-7b\"", StringComparison.Ordinal);
        Assert.Equal(expected, Encoding.UTF8.GetString(body));
        Assert.Equal(Encoding.UTF8.GetByteCount(expected).ToString(System.Globalization.CultureInfo.InvariantCulture), SetHeader(headers.RequestHeaders.Response, "content-length"));
    }

    [Fact]
    public async Task CatalogEvent_ThroughTheDaprRoute_IsHeld()
    {
        using var sidecar = _picker.CreateClient();
        sidecar.BaseAddress = new Uri("http://localhost:9090");
        var snapshot = new CatalogSnapshot("chat-pool", 3, DateTimeOffset.UtcNow, [new CatalogModel("m", Criticality.Sheddable, [])], [new CatalogObjective("batch", -1)], []);
        var data = JsonSerializer.Serialize(snapshot, ContractsJsonContext.Default.CatalogSnapshot);
        using var content = new StringContent(
            $$"""{"specversion":"1.0","id":"1","source":"catalog","type":"com.dapr.event.sent","datacontenttype":"application/json","topic":"catalog","pubsubname":"pubsub","data":{{data}}}""",
            Encoding.UTF8,
            "application/cloudevents+json");

        using var response = await sidecar.PostAsync("/events/catalog", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"status":"SUCCESS"}""", await response.Content.ReadAsStringAsync());
        var held = _picker.Services.GetRequiredService<CatalogStore>().Current!.Snapshot;
        Assert.Equal(3, held.Version);
        Assert.Equal(Criticality.Sheddable, held.Models[0].Criticality);
        Assert.Equal(-1, held.Objectives[0].Priority);
    }

    public void Dispose() => _picker.Dispose();

    private PickerFactory Picker(string? unknownModels)
    {
        var picker = new PickerFactory().With("Picker:PoolName", "chat-pool")
            .WithServices(services => services.AddSingleton<IRandomSource>(_random));
        if (unknownModels is not null)
        {
            picker.With("Picker:UnknownModels", unknownModels);
        }

        picker.Publish(PickerFactory.Endpoint("10.0.0.1:8000"));
        return picker;
    }

    private void PublishCatalog(params CatalogModel[] models) => PublishCatalog(models, []);

    private void PublishCatalog(CatalogModel[] models, CatalogRewrite[] rewrites) =>
        _picker.Services.GetRequiredService<CatalogStore>().Publish(new CatalogSnapshot("chat-pool", 1, DateTimeOffset.UtcNow, [.. models], [], [.. rewrites]));

    private async Task<(ProcessingResponse Headers, byte[] Body)> RouteAsync(string body, IReadOnlyDictionary<string, string>? requestHeaders = null)
    {
        await using var envoy = _picker.OpenStream();
        await envoy.SendRequestHeadersAsync(headers: requestHeaders);
        await envoy.SendRequestBodyAsync(Encoding.UTF8.GetBytes(body), endOfStream: true);
        var headers = await envoy.ReadAsync();
        Assert.Equal(ProcessingResponse.ResponseOneofCase.RequestHeaders, headers.ResponseCase);
        var (bytes, _, _) = await envoy.ReadStreamedRequestBodyAsync();
        return (headers, bytes);
    }

    /// <summary>Draws a fixed point (clamped under the bound), so a test names the target it expects.</summary>
    private sealed class FixedRandom : IRandomSource
    {
        public int Int { get; set; }

        public double NextDouble() => 0.5;

        public int NextInt(int maxExclusive) => Math.Min(Int, maxExclusive - 1);
    }
}
