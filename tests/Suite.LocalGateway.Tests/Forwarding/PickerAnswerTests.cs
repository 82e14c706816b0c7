using System.Net;
using Envoy.Config.Core.V3;
using Envoy.Service.ExtProc.V3;
using Envoy.Type.V3;
using Google.Protobuf;
using Suite.LocalGateway.Hosting;
using Suite.LocalGateway.Observation;
using Suite.LocalGateway.Tests.Infrastructure;

namespace Suite.LocalGateway.Tests.Forwarding;

/// <summary>Answers that do not end at the first endpoint: ImmediateResponse, fallbacks, and a picker that is down or silent.</summary>
public sealed class PickerAnswerTests : IAsyncLifetime
{
    private const string Completion = """{"model":"llama","prompt":"hello"}""";

    private ScriptedPicker _picker = null!;
    private RecordingUpstream _upstream = null!;

    public async Task InitializeAsync()
    {
        _picker = await ScriptedPicker.StartAsync();
        _upstream = await RecordingUpstream.StartAsync();
        _picker.Destination = _upstream.Endpoint;
    }

    public async Task DisposeAsync()
    {
        await _upstream.DisposeAsync();
        await _picker.DisposeAsync();
    }

    [Fact]
    public async Task An_immediate_response_reaches_the_client_with_its_status_headers_and_body()
    {
        _picker.Immediate = new ImmediateResponse
        {
            Status = new HttpStatus { Code = StatusCode.TooManyRequests },
            Headers = new HeaderMutation { SetHeaders = { new HeaderValueOption { Header = new HeaderValue { Key = "content-type", RawValue = ByteString.CopyFromUtf8("application/json") } } } },
            Body = ByteString.CopyFromUtf8("""{"error":{"message":"shed","type":"TooManyRequests","code":429}}"""),
            Details = "picker_request_shed",
        };
        await using var gateway = await GatewayUnderTest.StartAsync([Pool()]);

        using var response = await gateway.Client.SendAsync(RoutedRequestTests.Post("/v1/completions", Completion));

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("""{"error":{"message":"shed","type":"TooManyRequests","code":429}}""", await response.Content.ReadAsStringAsync());
        var exchange = await gateway.NextExchangeAsync();
        Assert.Equal((429, ExchangeOutcomes.PickerAnswered, "picker_request_shed", (string?)null), (exchange.Status, exchange.Outcome, exchange.Detail, exchange.Endpoint));
        Assert.Equal(0, _upstream.Received.Reader.Count);
    }

    [Fact]
    public async Task When_the_primary_refuses_the_connection_the_fallback_serves_and_the_picker_is_told_which()
    {
        var closed = $"127.0.0.1:{FreePorts.Next()}";
        _picker.Destination = $"{closed},{_upstream.Endpoint}";
        await using var gateway = await GatewayUnderTest.StartAsync([Pool()]);

        using var response = await gateway.Client.SendAsync(RoutedRequestTests.Post("/v1/completions", Completion));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(string.Concat(_upstream.Chunks), await response.Content.ReadAsStringAsync());
        Assert.Equal(Completion, (await _upstream.NextAsync()).Body);
        var served = (await _picker.NextStreamAsync()).Single(m => m.RequestCase == ProcessingRequest.RequestOneofCase.ResponseHeaders);
        Assert.Equal(_upstream.Endpoint, served.MetadataContext.FilterMetadata["envoy.lb"].Fields["x-gateway-destination-endpoint-served"].StringValue);
        Assert.Equal(_upstream.Endpoint, (await gateway.NextExchangeAsync()).Endpoint);
    }

    [Fact]
    public async Task When_no_endpoint_accepts_a_connection_the_client_gets_503()
    {
        _picker.Destination = $"127.0.0.1:{FreePorts.Next()}";
        await using var gateway = await GatewayUnderTest.StartAsync([Pool()]);

        using var response = await gateway.Client.SendAsync(RoutedRequestTests.Post("/v1/completions", Completion));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("\"code\":503", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(ExchangeOutcomes.GatewayError, (await gateway.NextExchangeAsync()).Outcome);
    }

    [Fact]
    public async Task A_picker_that_is_down_fails_a_FailClose_pool_with_503()
    {
        await using var gateway = await GatewayUnderTest.StartAsync([Pool(new Uri($"http://127.0.0.1:{FreePorts.Next()}"))]);

        using var response = await gateway.Client.SendAsync(RoutedRequestTests.Post("/v1/completions", Completion));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("the endpoint picker of pool pool-a is unavailable", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, _upstream.Received.Reader.Count);
    }

    [Fact]
    public async Task A_picker_that_is_down_sends_a_FailOpen_pool_to_one_of_its_endpoints_unchanged()
    {
        var pool = Pool(new Uri($"http://127.0.0.1:{FreePorts.Next()}"));
        pool.FailureMode = PickerFailureMode.FailOpen;
        await using var gateway = await GatewayUnderTest.StartAsync([pool], new() { ["pool-a"] = [_upstream.Endpoint] });

        using var response = await gateway.Client.SendAsync(RoutedRequestTests.Post("/v1/completions", Completion));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(string.Concat(_upstream.Chunks), await response.Content.ReadAsStringAsync());
        Assert.Equal(Completion, (await _upstream.NextAsync()).Body);
        var exchange = await gateway.NextExchangeAsync();
        Assert.Equal((ExchangeOutcomes.FailedOpen, _upstream.Endpoint), (exchange.Outcome, exchange.Endpoint));
    }

    [Fact]
    public async Task A_picker_that_never_answers_times_out_after_the_message_timeout()
    {
        _picker.Silent = true;
        await using var gateway = await GatewayUnderTest.StartAsync([Pool()], messageTimeout: TimeSpan.FromMilliseconds(300));

        using var response = await gateway.Client.SendAsync(RoutedRequestTests.Post("/v1/completions", Completion));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var exchange = await gateway.NextExchangeAsync();
        Assert.Equal("endpoint picker unavailable: the endpoint picker did not answer within 0.3 s", exchange.Detail);
        Assert.Equal(2, (await _picker.NextStreamAsync()).Count); // headers and body went out; the stream was reset
    }

    [Fact]
    public async Task A_body_over_the_limit_gets_413_without_asking_the_picker()
    {
        await using var gateway = await GatewayUnderTest.StartAsync([Pool()], maxBodyBytes: 10);

        using var response = await gateway.Client.SendAsync(RoutedRequestTests.Post("/v1/completions", Completion));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("request body too large", (await gateway.NextExchangeAsync()).Detail);
        Assert.Equal(0, _picker.Streams.Reader.Count);
    }

    [Fact]
    public async Task The_subset_hint_goes_to_the_picker_in_envoy_lb_metadata()
    {
        var pool = Pool();
        pool.EndpointSubset.AddRange(["10.0.0.1:8000", "10.0.0.2:8000"]);
        await using var gateway = await GatewayUnderTest.StartAsync([pool]);

        using var response = await gateway.Client.SendAsync(RoutedRequestTests.Post("/v1/completions", Completion));

        var hint = (await _picker.NextStreamAsync())[0].MetadataContext.FilterMetadata["envoy.lb"].Fields["x-gateway-destination-endpoint-subset"];
        Assert.Equal(["10.0.0.1:8000", "10.0.0.2:8000"], hint.ListValue.Values.Select(v => v.StringValue));
    }

    [Fact]
    public async Task Requests_go_to_the_pool_that_lists_their_model_else_to_the_default_pool()
    {
        await using var other = await ScriptedPicker.StartAsync();
        other.Destination = _upstream.Endpoint;
        var lora = new GatewayPoolOptions { Name = "lora-pool", Picker = other.Address, Models = ["sql-assistant"] };
        var chat = Pool();
        chat.Default = true;
        await using var gateway = await GatewayUnderTest.StartAsync([lora, chat]);

        using var toLora = await gateway.Client.SendAsync(RoutedRequestTests.Post("/v1/completions", """{"model":"sql-assistant","prompt":"x"}"""));
        Assert.Equal("lora-pool", (await gateway.NextExchangeAsync()).Pool);
        using var toChat = await gateway.Client.SendAsync(RoutedRequestTests.Post("/v1/completions", """{"model":"anything-else","prompt":"x"}"""));
        Assert.Equal("pool-a", (await gateway.NextExchangeAsync()).Pool);

        Assert.Contains("sql-assistant", (await other.NextStreamAsync())[1].RequestBody.Body.ToStringUtf8(), StringComparison.Ordinal);
        Assert.Contains("anything-else", (await _picker.NextStreamAsync())[1].RequestBody.Body.ToStringUtf8(), StringComparison.Ordinal);
    }

    private GatewayPoolOptions Pool(Uri? picker = null) => new() { Name = "pool-a", Picker = picker ?? _picker.Address };
}
