extern alias ModelSim;
extern alias Picker;

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using ModelSim::Suite.ModelSim.Engine;
using ModelSim::Suite.ModelSim.Faults;
using ModelSim::Suite.ModelSim.Hosting;
using Suite.Collector.Load.Fleet;
using Suite.Contracts.Messaging;
using Suite.Contracts.Pools;
using Suite.Messaging;
using Suite.Messaging.InMemory;
using Suite.MetricsCollector.Hosting;
using PickerOptions = Picker::Suite.Picker.Hosting.PickerOptions;
using PoolStateStore = Picker::Suite.Picker.Pools.PoolStateStore;

namespace Suite.Collector.Load.Freshness;

/// <summary>
/// The path a queue change travels, in one process: simulated vLLM pods on 127.0.1.N (real Kestrel listeners) →
/// the collector (static manifests, real HTTP scrapes) → the in-memory bus → the picker's pool store. The collector
/// and the picker are built by their own Program and hosting code through WebApplicationFactory, sharing one bus
/// and one state store, as the end-to-end tests host them.
/// </summary>
internal sealed class EmbeddedPipeline : IAsyncDisposable
{
    private readonly string _manifests;
    private readonly WebApplicationFactory<CollectorOptions> _collector;
    private readonly WebApplicationFactory<PickerOptions> _picker;
    private readonly IDisposable _signalSubscription;

    private EmbeddedPipeline(
        ModelSimFleet fleet,
        int port,
        string manifests,
        WebApplicationFactory<CollectorOptions> collector,
        WebApplicationFactory<PickerOptions> picker,
        SnapshotSignal signal,
        IDisposable signalSubscription)
    {
        Fleet = fleet;
        Port = port;
        _manifests = manifests;
        _collector = collector;
        _picker = picker;
        Delivered = signal;
        _signalSubscription = signalSubscription;
        PoolState = picker.Services.GetRequiredService<PoolStateStore>();
    }

    public ModelSimFleet Fleet { get; }

    public int Port { get; }

    public PoolStateStore PoolState { get; }

    /// <summary>Set each time a snapshot has been delivered to the picker.</summary>
    public SnapshotSignal Delivered { get; }

    public static async Task<EmbeddedPipeline> StartAsync(int pods, int port, TimeSpan scrapeInterval, CancellationToken cancellationToken)
    {
        port = port == 0 ? FreePort() : port;
        var fleet = await ModelSimFleet.StartAsync(
            new SimulatorSettings(new FleetOptions { Preset = "tiny", Instances = pods, Port = port, LoopbackAddresses = true }, Presets.Tiny, new FaultSettings()),
            cancellation: cancellationToken);
        var manifests = Path.Combine(Path.GetTempPath(), $"collector-freshness-{Environment.ProcessId}.yaml");
        await File.WriteAllTextAsync(manifests, PoolManifests.Yaml(PoolManifests.DefaultPool, pods, port), cancellationToken);

        var bus = new InMemoryBus(NullLogger<InMemoryBus>.Instance);
        var store = new InMemoryStateStore(TimeProvider.System);
        var collector = new WebApplicationFactory<CollectorOptions>().WithWebHostBuilder(host =>
        {
            host.UseSetting("Collector:Discovery", "Static");
            host.UseSetting("Collector:ManifestsFile", manifests);
            host.UseSetting("Collector:ScrapeInterval", scrapeInterval.ToString("c", CultureInfo.InvariantCulture));
            Common(host, bus, store);
        });
        var picker = new WebApplicationFactory<PickerOptions>().WithWebHostBuilder(host =>
        {
            host.UseSetting("Picker:PoolName", PoolManifests.DefaultPool);
            Common(host, bus, store);
        });

        // The picker subscribes before the collector's first round, and before the signal, which the bus then calls
        // after the picker.
        _ = picker.Server;
        var signal = new SnapshotSignal();
        var subscription = bus.Subscribe<PoolSnapshot>(SuiteTopics.PodState, signal);
        _ = collector.Server;
        return new EmbeddedPipeline(fleet, port, manifests, collector, picker, signal, subscription);
    }

    /// <summary>Waits until the picker holds a snapshot in which every pod has been scraped successfully.</summary>
    public async Task<bool> WaitForFirstFullViewAsync(int pods, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (PoolState.Current is { } pool && pool.Endpoints.Length == pods && pool.Endpoints.All(e => e.Metrics is { MeasuredAt: not null, Stale: false }))
            {
                return true;
            }

            await Task.Delay(20, cancellationToken);
        }

        return false;
    }

    /// <summary>The simulated engine's waiting queue length, read under the engine's lock.</summary>
    public int EngineWaiting(int instance) => Fleet.Instances[instance].Engine.Read(static core => core.WaitingCount);

    /// <summary>
    /// Hands one completion (a short prompt, one output token) straight to the pod's engine, as its HTTP handler does
    /// once it has parsed a request, so the queue changes between <paramref name="before"/> and <paramref name="after"/>
    /// (timestamps microseconds apart). <paramref name="remove"/> takes it out again, as a client that leaves does.
    /// </summary>
    public bool TryQueueRequest(int instance, out long before, out long after, out Action remove)
    {
        var pod = Fleet.Instances[instance];
        var profile = pod.Profile;
        var sequence = new Sequence(
            pod.NextRequestId(),
            PromptTokens.FromText("queue me", null, profile.CharsPerToken, profile.BlockSize),
            adapter: null,
            outputTokens: 1,
            FinishReason.Length,
            new TokenStream());
        before = Stopwatch.GetTimestamp();
        var queued = pod.Engine.TrySubmit(sequence);
        after = Stopwatch.GetTimestamp();
        remove = () => pod.Engine.Cancel(sequence);
        return queued;
    }

    public void SetPaused(int instance, bool paused)
    {
        var pod = Fleet.Instances[instance];
        pod.Faults = pod.Faults with { Paused = paused };
    }

    public async ValueTask DisposeAsync()
    {
        await _collector.DisposeAsync();
        _signalSubscription.Dispose();
        Delivered.Dispose();
        await _picker.DisposeAsync();
        await Fleet.DisposeAsync();
        File.Delete(_manifests);
    }

    private static void Common(IWebHostBuilder host, InMemoryBus bus, InMemoryStateStore store)
    {
        host.UseSetting("Messaging:Mode", "InMemory");
        host.UseSetting("Logging:LogLevel:Default", "Warning");
        host.ConfigureServices(services =>
        {
            services.AddSingleton(bus);
            services.AddSingleton<IStateStore>(store);
        });
    }

    // The fleet listens on 127.0.1.1..N at one port: take one that is free on the first of those addresses.
    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Parse("127.0.1.1"), 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
