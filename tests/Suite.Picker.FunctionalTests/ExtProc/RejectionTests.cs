using System.Text;
using Envoy.Service.ExtProc.V3;
using Microsoft.Extensions.DependencyInjection;
using Suite.Picker.Scheduling;
using Suite.Picker.FunctionalTests.Infrastructure;
using static Suite.Picker.FunctionalTests.Infrastructure.ResponseAssertions;

namespace Suite.Picker.FunctionalTests.ExtProc;

/// <summary>Requests the picker answers itself with an ImmediateResponse and an OpenAI-style error body.</summary>
public sealed class RejectionTests : IDisposable
{
    private readonly PickerFactory _picker = new PickerFactory().With("Picker:MaxRequestBodyBytes", "4096");

    public RejectionTests()
    {
        _picker.Publish(PickerFactory.Endpoint("10.0.0.1:8000"));
    }

    [Fact]
    public async Task Process_InvalidJson_Answers400WithTheParserPosition()
    {
        var response = await SendAsync("/v1/chat/completions", """{"model":"m","messages":[}""");

        var message = ImmediateError(response, 400, "invalid_request_error");
        Assert.StartsWith("The request body is not valid JSON: ", message, StringComparison.Ordinal);
        Assert.Equal("picker_bad_request", response.ImmediateResponse.Details);
    }

    [Fact]
    public async Task Process_InvalidUtf8InsideAString_Answers400()
    {
        await using var envoy = _picker.OpenStream();
        byte[] body = [.. "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\""u8, 0xC3, 0x28, .. "\"}]}"u8];

        await envoy.SendRequestHeadersAsync();
        await envoy.SendRequestBodyAsync(body, endOfStream: true);
        var message = ImmediateError(await envoy.ReadAsync(), 400, "invalid_request_error");

        Assert.Equal("The request body is not valid UTF-8.", message);
    }

    [Fact]
    public async Task Process_MissingModel_Answers400NamingTheField()
    {
        var response = await SendAsync("/v1/chat/completions", """{"messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal("The request body has no \"model\" field.", ImmediateError(response, 400, "invalid_request_error"));
    }

    [Fact]
    public async Task Process_ModelNotAString_Answers400()
    {
        var response = await SendAsync("/v1/chat/completions", """{"model":42,"messages":[]}""");

        Assert.Equal("\"model\" must be a string.", ImmediateError(response, 400, "invalid_request_error"));
    }

    [Fact]
    public async Task Process_ChatPathWithoutMessages_Answers400ForTheApiShape()
    {
        var response = await SendAsync("/v1/chat/completions", """{"model":"m","prompt":"hi"}""");

        Assert.Equal("/v1/chat/completions requires a \"messages\" array.", ImmediateError(response, 400, "invalid_request_error"));
    }

    [Fact]
    public async Task Process_BodyOverTheLimit_Answers413AsSoonAsTheLimitIsCrossed()
    {
        await using var envoy = _picker.OpenStream();

        await envoy.SendRequestHeadersAsync();
        await envoy.SendRequestBodyAsync(new byte[3000], endOfStream: false);
        await envoy.SendRequestBodyAsync(new byte[3000], endOfStream: false);
        var response = await envoy.ReadAsync();

        Assert.Equal(
            "The request body exceeds the gateway's limit of 4096 bytes.",
            ImmediateError(response, 413, "invalid_request_error"));
        Assert.True(await envoy.EndedAsync());
    }

    [Fact]
    public async Task Process_PoolWithoutEndpoints_Answers503()
    {
        _picker.Publish();

        var response = await SendAsync("/v1/chat/completions", """{"model":"m","messages":[]}""");

        Assert.Equal("No ready model server can take this request right now.", ImmediateError(response, 503, "service_unavailable"));
    }

    [Fact]
    public async Task Process_FiltersRemoveEveryEndpoint_Answers429()
    {
        var profile = SchedulingProfile.CreateDefault(new SharedRandomSource()) with { Filters = [new RejectAllFilter()] };
        using var picker = new PickerFactory().WithServices(services =>
            services.AddSingleton<ISchedulingProfileSource>(new FixedProfile(profile)));
        picker.Publish(PickerFactory.Endpoint("10.0.0.1:8000"));
        await using var envoy = picker.OpenStream();

        await envoy.SendRequestHeadersAsync();
        await envoy.SendRequestBodyAsync(Encoding.UTF8.GetBytes("""{"model":"m","messages":[]}"""), endOfStream: true);
        var response = await envoy.ReadAsync();

        Assert.Equal(
            "Every model server was filtered out for this request; retry later.",
            ImmediateError(response, 429, "rate_limit_exceeded"));
    }

    [Fact]
    public async Task Process_SoftFilterWouldRemoveEveryEndpoint_StillRoutes()
    {
        using var picker = new PickerFactory().WithProfile("filters:\n  - { type: low-queue, threshold: 2 }\n");
        picker.Publish(PickerFactory.Endpoint("10.0.0.1:8000", waiting: 9));
        await using var envoy = picker.OpenStream();

        await envoy.SendRequestHeadersAsync();
        await envoy.SendRequestBodyAsync(Encoding.UTF8.GetBytes("""{"model":"m","messages":[]}"""), endOfStream: true);
        var response = await envoy.ReadAsync();

        Assert.Equal("10.0.0.1:8000", SetHeader(response.RequestHeaders.Response, "x-gateway-destination-endpoint"));
    }

    [Fact]
    public async Task Process_Rejection_CarriesTheRequestIdBack()
    {
        await using var envoy = _picker.OpenStream();

        await envoy.SendRequestHeadersAsync(headers: new Dictionary<string, string> { ["x-request-id"] = "req-7" });
        await envoy.SendRequestBodyAsync("not json"u8, endOfStream: true);
        var response = await envoy.ReadAsync();

        Assert.Equal("req-7", HeaderOf(response.ImmediateResponse, "x-request-id"));
    }

    [Fact]
    public async Task Process_UnsupportedBodyMode_Answers500NamingTheModes()
    {
        await using var envoy = _picker.OpenStream();

        await envoy.SendRequestHeadersAsync(requestBodyMode: Envoy.Extensions.Filters.Http.ExtProc.V3.ProcessingMode.Types.BodySendMode.Streamed);
        var response = await envoy.ReadAsync();

        Assert.Equal(
            "Request body mode Streamed is not supported; configure FULL_DUPLEX_STREAMED or BUFFERED.",
            ImmediateError(response, 500, "internal_error"));
    }

    public void Dispose() => _picker.Dispose();

    private sealed class RejectAllFilter : ICandidateFilter
    {
        public string Name => "reject-all";

        public int Filter(in SchedulingRequest request, Span<Candidate> candidates) => 0;
    }

    private sealed class FixedProfile(SchedulingProfile profile) : ISchedulingProfileSource
    {
        public SchedulingProfile Current => profile;
    }

    private async Task<ProcessingResponse> SendAsync(string path, string body)
    {
        await using var envoy = _picker.OpenStream();
        await envoy.SendRequestHeadersAsync(path: path);
        await envoy.SendRequestBodyAsync(Encoding.UTF8.GetBytes(body), endOfStream: true);
        return await envoy.ReadAsync();
    }
}
