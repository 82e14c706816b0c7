extern alias Catalog;
extern alias ModelSim;
extern alias Picker;

using System.Net;
using System.Net.Sockets;
using System.Text;
using Envoy.Config.Core.V3;
using Envoy.Service.ExtProc.V3;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using ModelSim::Suite.ModelSim.Engine;
using ModelSim::Suite.ModelSim.Faults;
using ModelSim::Suite.ModelSim.Hosting;
using Suite.Messaging;
using Suite.Messaging.InMemory;
using Suite.MetricsCollector.Hosting;
using CatalogOptions = Catalog::Suite.Catalog.Hosting.CatalogOptions;
using PickerOptions = Picker::Suite.Picker.Hosting.PickerOptions;
using PoolStateStore = Picker::Suite.Picker.Pools.PoolStateStore;

namespace Suite.MetricsCollector.Tests.EndToEnd;

/// <summary>
/// Simulated vLLM pods → the collector (static manifests, real HTTP scrapes) → the in-memory bus → a picker,
/// with the catalog reading the same manifests file and publishing on the same bus, all in this process, each
/// service built by its own production host code. The pods listen on 127.0.1.N with
/// one shared port, as pods in a cluster have their own IPs and the same container port.
/// </summary>
internal sealed class InProcessSuite : IAsyncDisposable
{
    public const string PoolName = "chat-pool";

    private readonly string _manifests;

    private InProcessSuite(
        ModelSimFleet fleet,
        string manifests,
        WebApplicationFactory<CollectorOptions> collector,
        WebApplicationFactory<CatalogOptions> catalog,
        WebApplicationFactory<PickerOptions> picker)
    {
        Fleet = fleet;
        _manifests = manifests;
        Collector = collector;
        CatalogHost = catalog;
        PickerHost = picker;
        Channel = GrpcChannel.ForAddress(picker.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = picker.Server.CreateHandler() });
    }

    public ModelSimFleet Fleet { get; }

    public WebApplicationFactory<CollectorOptions> Collector { get; }

    public WebApplicationFactory<CatalogOptions> CatalogHost { get; }

    public WebApplicationFactory<PickerOptions> PickerHost { get; }

    public GrpcChannel Channel { get; }

    public PoolStateStore PoolState => PickerHost.Services.GetRequiredService<PoolStateStore>();

    /// <param name="catalog">Catalog resources appended to the manifests (InferenceModel, InferenceModelRewrite, …).</param>
    public static async Task<InProcessSuite> StartAsync(int pods, string scrapeInterval = "00:00:00.050", string catalog = "")
    {
        var port = FreePort();
        var fleet = await ModelSimFleet.StartAsync(new SimulatorSettings(
            new FleetOptions { Preset = "tiny", Instances = pods, Port = port, LoopbackAddresses = true },
            Presets.Tiny,
            new FaultSettings()));
        var manifests = Path.Combine(Path.GetTempPath(), $"suite-e2e-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(manifests, Manifests(pods, port) + catalog);

        var bus = new InMemoryBus(NullLogger<InMemoryBus>.Instance);
        var store = new InMemoryStateStore(TimeProvider.System);
        var collector = new WebApplicationFactory<CollectorOptions>().WithWebHostBuilder(host =>
        {
            host.UseSetting("Collector:Discovery", "Static");
            host.UseSetting("Collector:ManifestsFile", manifests);
            host.UseSetting("Collector:ScrapeInterval", scrapeInterval);
            host.UseSetting("Messaging:Mode", "InMemory");
            host.ConfigureServices(services => Share(services, bus, store));
        });
        var catalogHost = new WebApplicationFactory<CatalogOptions>().WithWebHostBuilder(host =>
        {
            host.UseSetting("Catalog:Source", "Static");
            host.UseSetting("Catalog:ManifestsFile", manifests);
            host.UseSetting("Messaging:Mode", "InMemory");
            host.ConfigureServices(services => Share(services, bus, store));
        });
        var picker = new WebApplicationFactory<PickerOptions>().WithWebHostBuilder(host =>
        {
            host.UseSetting("Picker:PoolName", PoolName);
            host.UseSetting("Messaging:Mode", "InMemory");
            host.ConfigureServices(services => Share(services, bus, store));
        });
        _ = picker.Server; // subscribed before the collector's first round
        _ = collector.Server;
        _ = catalogHost.Server;
        return new InProcessSuite(fleet, manifests, collector, catalogHost, picker);
    }

    /// <summary>Routes one chat request through ext_proc as Envoy would; returns the destination and the body sent on.</summary>
    public async Task<RoutedRequest> RouteAsync(string model = "sim/tiny")
    {
        var client = new ExternalProcessor.ExternalProcessorClient(Channel);
        using var call = client.Process();
        var headers = new HeaderMap();
        headers.Headers.Add(new HeaderValue { Key = ":path", RawValue = Google.Protobuf.ByteString.CopyFromUtf8("/v1/chat/completions") });
        headers.Headers.Add(new HeaderValue { Key = ":method", RawValue = Google.Protobuf.ByteString.CopyFromUtf8("POST") });
        headers.Headers.Add(new HeaderValue { Key = "content-type", RawValue = Google.Protobuf.ByteString.CopyFromUtf8("application/json") });
        await call.RequestStream.WriteAsync(new ProcessingRequest { RequestHeaders = new HttpHeaders { Headers = headers } });
        var body = Encoding.UTF8.GetBytes($$"""{"model":"{{model}}","messages":[{"role":"user","content":"hello"}]}""");
        await call.RequestStream.WriteAsync(new ProcessingRequest { RequestBody = new HttpBody { Body = Google.Protobuf.ByteString.CopyFrom(body), EndOfStream = true } });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None), "the picker closed the stream without an answer");
        var answer = call.ResponseStream.Current;
        Assert.True(answer.ResponseCase == ProcessingResponse.ResponseOneofCase.RequestHeaders, $"expected a routing answer, got {answer}");
        var destination = answer.RequestHeaders.Response.HeaderMutation.SetHeaders
            .Single(h => h.Header.Key == "x-gateway-destination-endpoint").Header.RawValue.ToStringUtf8();

        // In FULL_DUPLEX_STREAMED mode the body comes back as streamed chunks after the headers answer.
        var sent = new StringBuilder();
        while (await call.ResponseStream.MoveNext(CancellationToken.None))
        {
            var chunk = call.ResponseStream.Current.RequestBody.Response.BodyMutation.StreamedResponse;
            sent.Append(chunk.Body.ToStringUtf8());
            if (chunk.EndOfStream)
            {
                break;
            }
        }

        await call.RequestStream.CompleteAsync();
        return new RoutedRequest(destination, sent.ToString());
    }

    public static string Address(int pod, int port) => $"127.0.1.{pod + 1}:{port}";

    public int Port => Fleet.Instances[0].Address!.Port;

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await Collector.DisposeAsync();
        await CatalogHost.DisposeAsync();
        await PickerHost.DisposeAsync();
        await Fleet.DisposeAsync();
        File.Delete(_manifests);
    }

    private static void Share(IServiceCollection services, InMemoryBus bus, InMemoryStateStore store)
    {
        services.AddSingleton(bus);
        services.AddSingleton<IStateStore>(store);
    }

    private static string Manifests(int pods, int port)
    {
        var text = new StringBuilder($"""
            apiVersion: inference.networking.k8s.io/v1
            kind: InferencePool
            metadata:
              name: {PoolName}
              namespace: default
            spec:
              selector:
                matchLabels:
                  app: sim
              targetPorts:
                - number: {port}
              endpointPickerRef:
                name: picker
                port:
                  number: 9002

            """);
        for (var i = 0; i < pods; i++)
        {
            text.Append($"""
                ---
                apiVersion: v1
                kind: Pod
                metadata:
                  name: sim-{i}
                  namespace: default
                  labels:
                    app: sim
                status:
                  phase: Running
                  podIP: 127.0.1.{i + 1}
                  conditions:
                    - type: Ready
                      status: "True"

                """);
        }

        return text.ToString();
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}

/// <summary>Where the picker sent a request, and the body it sent on (with the model name it chose).</summary>
internal sealed record RoutedRequest(string Destination, string Body);
