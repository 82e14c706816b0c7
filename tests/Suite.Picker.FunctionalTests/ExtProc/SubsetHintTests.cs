using System.Text;
using Suite.Picker.FunctionalTests.Infrastructure;
using static Suite.Picker.FunctionalTests.Infrastructure.ResponseAssertions;

namespace Suite.Picker.FunctionalTests.ExtProc;

/// <summary>The gateway's <c>x-gateway-destination-endpoint-subset</c> hint in <c>metadata_context["envoy.lb"]</c>.</summary>
public sealed class SubsetHintTests : IDisposable
{
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"model":"base-model","messages":[]}""");

    private readonly PickerFactory _picker = new();

    public SubsetHintTests()
    {
        _picker.Publish(
            PickerFactory.Endpoint("10.0.0.1:8000", waiting: 6),
            PickerFactory.Endpoint("10.0.0.2:8000", waiting: 0),
            PickerFactory.Endpoint("10.0.0.3:8000", waiting: 3));
    }

    [Fact]
    public async Task Process_SubsetNamesEveryEndpoint_PicksTheBestAsWithoutAHint()
    {
        var destination = await RouteAsync(["10.0.0.1:8000", "10.0.0.2:8000", "10.0.0.3:8000"]);

        Assert.Equal("10.0.0.2:8000", destination);
    }

    [Fact]
    public async Task Process_SubsetNamesOneEndpoint_PicksThatEndpointEvenIfWorse()
    {
        var destination = await RouteAsync(["10.0.0.1:8000"]);

        Assert.Equal("10.0.0.1:8000", destination);
    }

    [Fact]
    public async Task Process_SubsetNamesBareIps_MatchesEndpointsByIp()
    {
        var destination = await RouteAsync(["10.0.0.3", "10.0.0.1"]);

        Assert.Equal("10.0.0.3:8000", destination);
    }

    [Fact]
    public async Task Process_SubsetMatchesNoEndpoint_Answers503()
    {
        await using var envoy = _picker.OpenStream();

        await envoy.SendRequestHeadersAsync(subset: ["192.168.9.9:8000"]);
        await envoy.SendRequestBodyAsync(Body, endOfStream: true);
        var message = ImmediateError(await envoy.ReadAsync(), 503, "service_unavailable");

        Assert.Equal(
            "None of the endpoints the gateway allowed for this request (x-gateway-destination-endpoint-subset) is ready in the pool.",
            message);
    }

    [Fact]
    public async Task Process_SubsetPresentButEmpty_Answers503()
    {
        await using var envoy = _picker.OpenStream();

        await envoy.SendRequestHeadersAsync(subset: []);
        await envoy.SendRequestBodyAsync(Body, endOfStream: true);

        ImmediateError(await envoy.ReadAsync(), 503, "service_unavailable");
    }

    public void Dispose() => _picker.Dispose();

    private async Task<string?> RouteAsync(string[] subset)
    {
        await using var envoy = _picker.OpenStream();
        await envoy.SendRequestHeadersAsync(subset: subset);
        await envoy.SendRequestBodyAsync(Body, endOfStream: true);
        var headers = await envoy.ReadAsync();
        return SetHeader(headers.RequestHeaders.Response, "x-gateway-destination-endpoint");
    }
}
