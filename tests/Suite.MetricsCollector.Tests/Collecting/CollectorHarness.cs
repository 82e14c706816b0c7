extern alias ModelSim;

using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using ModelSim::Suite.ModelSim.Engine;
using ModelSim::Suite.ModelSim.Faults;
using ModelSim::Suite.ModelSim.Hosting;
using Suite.Contracts.Pools;
using Suite.Messaging;
using Suite.MetricsCollector.Hosting;
using Suite.MetricsCollector.Scraping;

namespace Suite.MetricsCollector.Tests.Collecting;

/// <summary>
/// The collector host over a simulated fleet on 127.0.1.N (one port), plus optionally one server on 127.0.1.50
/// whose <c>/metrics</c> page is garbage. Its own timer is set to a minute, so after the start-up round the test
/// drives rounds itself with <see cref="RunRoundAsync"/>; events go to <see cref="Published"/>.
/// </summary>
internal sealed class CollectorHarness : IAsyncDisposable
{
    public const string GarbageAddressHost = "127.0.1.50";

    private readonly string _manifests;
    private readonly WebApplication? _garbage;

    private CollectorHarness(ModelSimFleet fleet, int port, string manifests, WebApplication? garbage, WebApplicationFactory<CollectorOptions> collector, RecordingPublisher published)
    {
        Fleet = fleet;
        Port = port;
        _manifests = manifests;
        _garbage = garbage;
        Collector = collector;
        Published = published;
    }

    public ModelSimFleet Fleet { get; }

    public int Port { get; }

    public WebApplicationFactory<CollectorOptions> Collector { get; }

    public RecordingPublisher Published { get; }

    public string Address(int pod) => $"127.0.1.{pod + 1}:{Port}";

    /// <param name="pools">Pool name → indexes of the fleet's pods in it.</param>
    public static async Task<CollectorHarness> StartAsync(
        int pods,
        IReadOnlyDictionary<string, int[]> pools,
        string? garbagePageInPool = null,
        IDictionary<string, string>? settings = null,
        Action<IServiceCollection>? services = null,
        bool recordEvents = true)
    {
        var port = FreePort();
        var fleet = await ModelSimFleet.StartAsync(new SimulatorSettings(
            new FleetOptions { Preset = "tiny", Instances = pods, Port = port, LoopbackAddresses = true }, Presets.Tiny, new FaultSettings()));
        WebApplication? garbage = null;
        if (garbagePageInPool is not null)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls($"http://{GarbageAddressHost}:{port}");
            garbage = builder.Build();
            garbage.MapGet("/metrics", () => Results.Text("vllm:num_requests_waiting{model_name=\"m\" 3\n", "text/plain"));
            await garbage.StartAsync();
        }

        var manifests = Path.Combine(Path.GetTempPath(), $"collector-test-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(manifests, Manifests(port, pools, garbagePageInPool));
        var published = new RecordingPublisher();
        var collector = new WebApplicationFactory<CollectorOptions>().WithWebHostBuilder(host =>
        {
            host.UseSetting("Collector:Discovery", "Static");
            host.UseSetting("Collector:ManifestsFile", manifests);
            host.UseSetting("Collector:ScrapeInterval", "00:01:00");
            host.UseSetting("Collector:ScrapeTimeout", "00:00:02"); // generous: test machines are busy
            host.UseSetting("Messaging:Mode", "InMemory");
            foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            {
                host.UseSetting(key, value);
            }

            host.ConfigureServices(collection =>
            {
                if (recordEvents)
                {
                    collection.AddSingleton<IEventPublisher>(published);
                }

                services?.Invoke(collection);
            });
        });
        _ = collector.Server;
        var harness = new CollectorHarness(fleet, port, manifests, garbage, collector, published);
        if (recordEvents)
        {
            await harness.WaitForStartupRoundAsync(pools.Count);
        }

        return harness;
    }

    /// <summary>Runs one round and returns the snapshots it published, in order.</summary>
    public async Task<IReadOnlyList<PoolSnapshot>> RunRoundAsync()
    {
        Published.Clear();
        await Collector.Services.GetRequiredService<ScrapeLoop>().RunRoundAsync(CancellationToken.None);
        return Published.Snapshots;
    }

    public async ValueTask DisposeAsync()
    {
        await Collector.DisposeAsync();
        if (_garbage is not null)
        {
            await _garbage.DisposeAsync();
        }

        await Fleet.DisposeAsync();
        File.Delete(_manifests);
    }

    private async Task WaitForStartupRoundAsync(int pools)
    {
        var deadline = Environment.TickCount64 + 10_000;
        while (Published.Snapshots.Count < pools)
        {
            Assert.True(Environment.TickCount64 < deadline, "the collector's start-up round never published");
            await Task.Delay(10);
        }
    }

    private static string Manifests(int port, IReadOnlyDictionary<string, int[]> pools, string? garbagePageInPool)
    {
        var text = new StringBuilder();
        foreach (var (pool, members) in pools)
        {
            text.Append($"""
                apiVersion: inference.networking.k8s.io/v1
                kind: InferencePool
                metadata:
                  name: {pool}
                spec:
                  selector:
                    matchLabels:
                      pool: {pool}
                  targetPorts:
                    - number: {port}
                ---

                """);
            foreach (var pod in members)
            {
                text.Append(Pod($"sim-{pod}", $"127.0.1.{pod + 1}", pool));
            }

            if (pool == garbagePageInPool)
            {
                text.Append(Pod("garbage", GarbageAddressHost, pool));
            }
        }

        return text.ToString();
    }

    private static string Pod(string name, string ip, string pool) => $"""
        apiVersion: v1
        kind: Pod
        metadata:
          name: {name}
          labels:
            pool: {pool}
        status:
          phase: Running
          podIP: {ip}
          conditions:
            - type: Ready
              status: "True"
        ---

        """;

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}

/// <summary>Keeps what the collector published, in order.</summary>
internal sealed class RecordingPublisher : IEventPublisher
{
    private readonly Lock _lock = new();
    private readonly List<(string Topic, object Payload)> _events = [];

    public IReadOnlyList<PoolSnapshot> Snapshots
    {
        get
        {
            lock (_lock)
            {
                return [.. _events.Select(e => (PoolSnapshot)e.Payload)];
            }
        }
    }

    public IReadOnlyList<string> Topics
    {
        get
        {
            lock (_lock)
            {
                return [.. _events.Select(e => e.Topic)];
            }
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _events.Clear();
        }
    }

    public Task PublishAsync<T>(string topic, T payload, CancellationToken cancellationToken)
        where T : class
    {
        lock (_lock)
        {
            _events.Add((topic, payload));
        }

        return Task.CompletedTask;
    }
}
