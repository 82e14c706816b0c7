using System.Net;
using System.Text;
using Envoy.Service.ExtProc.V3;
using Google.Protobuf;
using Suite.LocalGateway.Hosting;
using Suite.LocalGateway.Observation;
using Suite.LocalGateway.Tests.Infrastructure;
using static Envoy.Extensions.Filters.Http.ExtProc.V3.ProcessingMode.Types;

namespace Suite.LocalGateway.Tests.Forwarding;

/// <summary>A request the picker routes: what the picker is sent, what the model server gets, what the client gets.</summary>
public sealed class RoutedRequestTests : IAsyncLifetime
{
    private const string Completion = """{"model":"llama","prompt":"hello","stream":true}""";

    private ScriptedPicker _picker = null!;
    private RecordingUpstream _upstream = null!;
    private GatewayUnderTest _gateway = null!;

    public async Task InitializeAsync()
    {
        _picker = await ScriptedPicker.StartAsync();
        _upstream = await RecordingUpstream.StartAsync();
        _picker.Destination = _upstream.Endpoint;
        _gateway = await GatewayUnderTest.StartAsync([new GatewayPoolOptions { Name = "pool-a", Picker = _picker.Address }]);
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _upstream.DisposeAsync();
        await _picker.DisposeAsync();
    }

    [Fact]
    public async Task The_picker_gets_the_request_as_Envoy_sends_it_in_full_duplex_streamed_mode()
    {
        using var request = Post("/v1/completions?x=1", Completion);
        request.Headers.Add("x-gateway-inference-objective", "batch");
        using var response = await _gateway.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var messages = await _picker.NextStreamAsync();
        var headers = messages[0];
        Assert.Equal(ProcessingRequest.RequestOneofCase.RequestHeaders, headers.RequestCase);
        Assert.False(headers.RequestHeaders.EndOfStream);
        Assert.Equal(BodySendMode.FullDuplexStreamed, headers.ProtocolConfig.RequestBodyMode);
        Assert.Equal(BodySendMode.FullDuplexStreamed, headers.ProtocolConfig.ResponseBodyMode);
        var sent = headers.RequestHeaders.Headers.Headers.ToDictionary(h => h.Key, h => h.RawValue.ToStringUtf8(), StringComparer.Ordinal);
        Assert.Equal("POST", sent[":method"]);
        Assert.Equal("/v1/completions?x=1", sent[":path"]);
        Assert.Equal("http", sent[":scheme"]);
        Assert.Equal(_gateway.Client.BaseAddress!.Authority, sent[":authority"]);
        Assert.Equal("batch", sent["x-gateway-inference-objective"]);
        Assert.Equal(36, sent["x-request-id"].Length); // generated, as Envoy generates one
        Assert.Null(headers.MetadataContext); // no subset configured

        Assert.Equal(ProcessingRequest.RequestOneofCase.RequestBody, messages[1].RequestCase);
        Assert.Equal(Completion, messages[1].RequestBody.Body.ToStringUtf8());
        Assert.True(messages[1].RequestBody.EndOfStream);

        var responseHeaders = messages[2];
        Assert.Equal(ProcessingRequest.RequestOneofCase.ResponseHeaders, responseHeaders.RequestCase);
        var status = responseHeaders.ResponseHeaders.Headers.Headers.Single(h => h.Key == ":status");
        Assert.Equal("200", status.RawValue.ToStringUtf8());
        Assert.Equal(
            _upstream.Endpoint,
            responseHeaders.MetadataContext.FilterMetadata["envoy.lb"].Fields["x-gateway-destination-endpoint-served"].StringValue);

        var bodies = messages.Skip(3).Where(m => m.RequestCase == ProcessingRequest.RequestOneofCase.ResponseBody).ToList();
        Assert.Equal(string.Concat(_upstream.Chunks), string.Concat(bodies.Select(b => b.ResponseBody.Body.ToStringUtf8())));
        Assert.True(bodies[^1].ResponseBody.EndOfStream);
        Assert.All(bodies[..^1], body => Assert.False(body.ResponseBody.EndOfStream));
    }

    [Fact]
    public async Task The_model_server_gets_the_body_and_headers_the_picker_left_and_the_client_gets_what_the_picker_passed_back()
    {
        _picker.RewriteBody = body => Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(body).Replace("\"llama\"", "\"llama-v2\"", StringComparison.Ordinal));
        _picker.SetRequestHeaders["x-added-by-picker"] = "yes";
        _picker.RewriteResponseChunk = chunk => ByteString.CopyFromUtf8(chunk.ToStringUtf8().ToUpperInvariant());

        using var request = Post("/v1/completions", Completion);
        using var response = await _gateway.Client.SendAsync(request);

        var received = await _upstream.NextAsync();
        Assert.Equal("/v1/completions", received.PathAndQuery);
        Assert.Equal("""{"model":"llama-v2","prompt":"hello","stream":true}""", received.Body);
        Assert.Equal(received.Body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), received.Headers["content-length"]);
        Assert.Equal("yes", received.Headers["x-added-by-picker"]);
        Assert.Equal(_upstream.Endpoint, received.Headers["x-gateway-destination-endpoint"]);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(string.Concat(_upstream.Chunks).ToUpperInvariant(), await response.Content.ReadAsStringAsync());
        Assert.Equal("picked=scripted", response.Headers.GetValues("x-picker-decision").Single());
        Assert.Equal("upstream-" + _upstream.Endpoint, response.Headers.GetValues("x-inference-pod").Single());
    }

    [Fact]
    public async Task A_body_larger_than_one_buffer_goes_to_the_picker_in_64_KiB_chunks()
    {
        var prompt = new string('a', 150_000);
        using var request = Post("/v1/completions", $$"""{"model":"llama","prompt":"{{prompt}}"}""");
        using var response = await _gateway.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var messages = await _picker.NextStreamAsync();
        var chunks = messages.Where(m => m.RequestCase == ProcessingRequest.RequestOneofCase.RequestBody).ToList();
        Assert.Equal([65536, 65536, 150_029 - 131_072], chunks.Select(c => c.RequestBody.Body.Length));
        Assert.Equal([false, false, true], chunks.Select(c => c.RequestBody.EndOfStream));
        Assert.Equal(150_029, (await _upstream.NextAsync()).Body.Length);
    }

    [Fact]
    public async Task Streamed_events_reach_the_client_while_the_model_server_is_still_generating()
    {
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _upstream.HoldAfterFirstChunk = hold;
        using var request = Post("/v1/completions", Completion);
        using var response = await _gateway.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();

        var first = new byte[_upstream.Chunks[0].Length];
        await body.ReadExactlyAsync(first);
        Assert.Equal(_upstream.Chunks[0], Encoding.UTF8.GetString(first));

        hold.SetResult();
        using var rest = new StreamReader(body);
        Assert.Equal(string.Concat(_upstream.Chunks[1..]), await rest.ReadToEndAsync());
    }

    [Fact]
    public async Task A_client_cannot_name_its_own_destination()
    {
        using var request = Post("/v1/completions", Completion);
        request.Headers.Add("x-gateway-destination-endpoint", "10.9.9.9:8000");
        request.Headers.Add("x-gateway-destination-endpoint-served", "10.9.9.9:8000");
        using var response = await _gateway.Client.SendAsync(request);

        var sent = (await _picker.NextStreamAsync())[0].RequestHeaders.Headers.Headers.Select(h => h.Key).ToList();
        Assert.DoesNotContain("x-gateway-destination-endpoint", sent);
        Assert.DoesNotContain("x-gateway-destination-endpoint-served", sent);
        Assert.Equal(_upstream.Endpoint, (await _upstream.NextAsync()).Headers["x-gateway-destination-endpoint"]);
    }

    [Fact]
    public async Task The_observer_hears_the_exchange_with_pool_model_objective_endpoint_and_decision()
    {
        using var request = Post("/v1/completions", Completion);
        request.Headers.Add("x-gateway-inference-objective", "batch");
        using var response = await _gateway.Client.SendAsync(request);
        await response.Content.ReadAsStringAsync();

        var exchange = await _gateway.NextExchangeAsync();
        Assert.Equal(
            ("pool-a", "llama", "batch", 200, _upstream.Endpoint, "picked=scripted", ExchangeOutcomes.Proxied, (string?)null),
            (exchange.Pool, exchange.Model, exchange.Objective, exchange.Status, exchange.Endpoint, exchange.Decision, exchange.Outcome, exchange.Detail));
    }

    internal static HttpRequestMessage Post(string path, string json) =>
        new(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
}
