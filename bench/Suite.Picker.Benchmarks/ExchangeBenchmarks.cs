using BenchmarkDotNet.Attributes;
using Envoy.Config.Core.V3;
using Envoy.Service.ExtProc.V3;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using Suite.Bench;
using Suite.Picker.Catalog;
using Suite.Picker.ExtProc;
using Suite.Picker.Hosting;
using Suite.Picker.Observability;
using Suite.Picker.Pools;
using Suite.Picker.Scheduling;
using Suite.Picker.Scheduling.InFlight;
using static Envoy.Extensions.Filters.Http.ExtProc.V3.ProcessingMode.Types;

namespace Suite.Picker.Benchmarks;

/// <summary>
/// The picker's whole overhead for one request without the transport: a <see cref="RequestExchange"/> handles
/// Envoy's request headers and body (FULL_DUPLEX_STREAMED), schedules over 100 endpoints, answers with the
/// destination and streams the body back, then handles the response headers (end of stream) and releases the
/// request. Every answer is serialised as grpc-dotnet would. Parsing the incoming messages is measured apart
/// (<see cref="ExtProcMessageBenchmarks"/>). With <see cref="Exported"/> the request metrics are recorded and
/// aggregated by the OpenTelemetry SDK for its Prometheus exporter, as in production; without, nothing listens.
/// </summary>
public class ExchangeBenchmarks : IDisposable
{
    private MeterProvider? _meterProvider;
    private ExchangeServices _services = null!;
    private ProcessingRequest _requestHeaders = null!;
    private ProcessingRequest _requestBody = null!;
    private ProcessingRequest _responseHeaders = null!;
    private readonly SerializingWriter _gateway = new();

    [Params(1_000, 220_000)]
    public int PromptBytes { get; set; }

    [Params(false, true)]
    public bool Exported { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var time = TimeProvider.System;
        var store = new PoolStateStore();
        store.Publish(BenchPool.Create(100, time.GetUtcNow()));
        var profile = SchedulingProfile.CreateDefault(new SeededRandomSource(1234)) with { StaleAfter = TimeSpan.FromDays(1) };
        var inFlight = new InFlightLoad(time);
        var meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        if (Exported)
        {
            _meterProvider = OpenTelemetry.Sdk.CreateMeterProviderBuilder().AddMeter(PickerMetrics.MeterName).AddPrometheusExporter().Build();
        }

        _services = new ExchangeServices(
            new Scheduler(store, new FixedProfile(profile), inFlight, time),
            inFlight,
            new FixedProfile(profile),
            new CatalogStore(),
            new SeededRandomSource(99),
            new PickerMetrics(meters),
            Options.Create(new PickerOptions()),
            NullLogger<RequestExchange>.Instance,
            Objectives: new ObjectiveMetrics(meters),
            BodyBudget: new BodyMemoryBudget(new PickerOptions().MaxBufferedBodyBytes));

        var body = ChatRequestBodies.Create(PromptBytes, "sql-lora", seed: 1);
        var headers = new HeaderMap();
        foreach (var (key, value) in new[]
        {
            (":authority", "inference-gateway:8080"), (":path", "/v1/chat/completions"), (":method", "POST"),
            ("content-type", "application/json"), ("content-length", body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("x-request-id", "bench-request"), ("user-agent", "OpenAI/Python 1.54.0"),
        })
        {
            headers.Headers.Add(new HeaderValue { Key = key, RawValue = ByteString.CopyFromUtf8(value) });
        }

        var modes = new ProtocolConfiguration { RequestBodyMode = BodySendMode.FullDuplexStreamed, ResponseBodyMode = BodySendMode.FullDuplexStreamed };
        _requestHeaders = new ProcessingRequest { RequestHeaders = new HttpHeaders { Headers = headers }, ProtocolConfig = modes };
        _requestBody = new ProcessingRequest { RequestBody = new HttpBody { Body = ByteString.CopyFrom(body), EndOfStream = true } };
        var responseHeaders = new HeaderMap { Headers = { new HeaderValue { Key = ":status", RawValue = ByteString.CopyFromUtf8("200") } } };
        _responseHeaders = new ProcessingRequest { ResponseHeaders = new HttpHeaders { Headers = responseHeaders, EndOfStream = true } };

        if (Exchange().Result != 3 + ((body.Length + ProcessingResponses.MaxChunkBytes - 1) / ProcessingResponses.MaxChunkBytes) - 1)
        {
            throw new InvalidOperationException("Set-up is wrong: the exchange did not produce the expected answers.");
        }
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _meterProvider?.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Returns how many answers the picker wrote (headers, body chunks, response headers).</summary>
    [Benchmark]
    public async Task<int> Exchange()
    {
        _gateway.Written = 0;
        using var exchange = new RequestExchange(_services, _gateway);
        await exchange.HandleAsync(_requestHeaders, CancellationToken.None);
        await exchange.HandleAsync(_requestBody, CancellationToken.None);
        await exchange.HandleAsync(_responseHeaders, CancellationToken.None);
        return _gateway.Written;
    }

    private sealed class SerializingWriter : IAsyncStreamWriter<ProcessingResponse>
    {
        private readonly byte[] _buffer = new byte[1024 * 1024];

        public int Written { get; set; }

        public WriteOptions? WriteOptions { get; set; }

        public Task WriteAsync(ProcessingResponse message)
        {
            message.WriteTo(_buffer.AsSpan(0, message.CalculateSize()));
            Written++;
            return Task.CompletedTask;
        }
    }

    private sealed class FixedProfile(SchedulingProfile profile) : ISchedulingProfileSource
    {
        public SchedulingProfile Current { get; } = profile;
    }
}
