extern alias Catalog;
extern alias Collector;
extern alias ModelSim;
extern alias Picker;
extern alias Queue;

using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Catalog::Suite.Catalog.Hosting;
using Collector::Suite.MetricsCollector.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using ModelSim::Suite.ModelSim.Engine;
using ModelSim::Suite.ModelSim.Faults;
using ModelSim::Suite.ModelSim.Hosting;
using Picker::Suite.Picker.Hosting;
using Queue::Suite.Queue.Hosting;
using Suite.Messaging.InMemory;
using Suite.Queue.Overload.Runs;

namespace Suite.Queue.Overload.Embedded;

/// <summary>
/// The whole suite in this process: model-sim pods on 127.0.1.N (one port), the metrics-collector scraping them
/// (static manifests), the catalog reading the same file, the queue service, and one picker per arm, each service
/// built by its production hosting code on its own loopback ports, all sharing one in-memory bus and state store.
/// Pickers that are not being driven only follow the bus, so the arms can run one after another.
/// </summary>
internal sealed class EmbeddedSuite : IAsyncDisposable
{
    private readonly string _workDirectory;
    private readonly List<ServiceHost> _services;

    private EmbeddedSuite(ModelSimFleet fleet, InMemoryBus bus, string workDirectory, List<ServiceHost> services, Dictionary<ArmKind, Uri> pickers)
    {
        Fleet = fleet;
        Bus = bus;
        _workDirectory = workDirectory;
        _services = services;
        PickerAddresses = pickers;
    }

    public ModelSimFleet Fleet { get; }

    public InMemoryBus Bus { get; }

    /// <summary>Each arm's picker: its ext_proc address (h2c).</summary>
    public IReadOnlyDictionary<ArmKind, Uri> PickerAddresses { get; }

    /// <summary>The service hosts, named "queue", "picker:ARM", "catalog", "collector" (for their meters).</summary>
    public IReadOnlyList<ServiceHost> Services => _services;

    public IReadOnlyList<Uri> PodAddresses => [.. Fleet.Instances.Select(instance => instance.Address!)];

    public static EngineProfile ProfileFor(OverloadOptions options)
    {
        if (!Presets.ByName.TryGetValue(options.Preset, out var preset))
        {
            throw new ArgumentException($"--preset: no model-sim preset '{options.Preset}'; choose from {string.Join(", ", Presets.ByName.Keys)}.");
        }

        var profile = options.MaxNumSeqs > 0 ? preset with { MaxNumSeqs = options.MaxNumSeqs } : preset;
        var problems = profile.Validate();
        return problems.Count == 0 ? profile : throw new ArgumentException(string.Join(" ", problems));
    }

    public static async Task<EmbeddedSuite> StartAsync(
        OverloadOptions options, EngineProfile profile, IReadOnlyList<ArmDefinition> arms, CancellationToken cancellationToken)
    {
        var work = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"queue-overload-{Environment.ProcessId}")).FullName;
        var fleetPort = FreePort(IPAddress.Parse("127.0.1.1"));
        var fleet = await ModelSimFleet.StartAsync(
            new SimulatorSettings(
                new FleetOptions { Preset = options.Preset, Instances = options.Instances, Port = fleetPort, LoopbackAddresses = true },
                profile,
                new FaultSettings()),
            cancellation: cancellationToken);

        var manifests = Path.Combine(work, "manifests.yaml");
        await File.WriteAllTextAsync(manifests, SuiteManifests.Yaml(options.Instances, fleetPort, profile.ModelName), cancellationToken);

        var bus = new InMemoryBus(NullLogger<InMemoryBus>.Instance);
        var store = new InMemoryStateStore(TimeProvider.System);
        var ports = FreePorts(4 + (3 * arms.Count));
        var taken = 0;
        string NextPort() => Text(ports[taken++]);
        var services = new List<ServiceHost>();
        var queueAddress = new Uri($"http://127.0.0.1:{ports[0]}");
        var pickers = new Dictionary<ArmKind, Uri>();
        try
        {
            // The queue and the pickers subscribe to pod-state before the collector's first round.
            services.Add(await ServiceHost.StartAsync(
                "queue",
                work,
                new Dictionary<string, string?>
                {
                    ["Queue:GrpcPort"] = NextPort(),
                    ["Queue:HttpPort"] = NextPort(),
                    ["Queue:ShardIndex"] = "0", // not from HOSTNAME, whatever this machine is called
                },
                bus,
                store,
                builder => builder.AddQueue([]),
                app => app.MapQueue()));

            foreach (var arm in arms)
            {
                var grpcPort = NextPort();
                var settings = new Dictionary<string, string?>(arm.PickerSettings(queueAddress))
                {
                    ["Picker:GrpcPort"] = grpcPort,
                    ["Picker:HealthPort"] = NextPort(),
                    ["Picker:HttpPort"] = NextPort(),
                    ["Picker:PoolName"] = SuiteManifests.PoolName,
                };
                services.Add(await ServiceHost.StartAsync(
                    $"picker:{arm.Name}", work, settings, bus, store, builder => builder.AddPicker([]), app => app.MapPicker(), app => app.RunPickerAsync()));
                pickers[arm.Kind] = new Uri($"http://127.0.0.1:{grpcPort}");
            }

            services.Add(await ServiceHost.StartAsync(
                "catalog",
                work,
                new Dictionary<string, string?>
                {
                    ["Catalog:Source"] = "Static",
                    ["Catalog:ManifestsFile"] = manifests,
                    ["Catalog:HttpPort"] = NextPort(),
                },
                bus,
                store,
                builder => builder.AddCatalog([]),
                app => app.MapCatalog()));

            services.Add(await ServiceHost.StartAsync(
                "collector",
                work,
                new Dictionary<string, string?>
                {
                    ["Collector:Discovery"] = "Static",
                    ["Collector:ManifestsFile"] = manifests,
                    ["Collector:ScrapeInterval"] = TimeSpan.FromMilliseconds(options.ScrapeIntervalMs).ToString("c", CultureInfo.InvariantCulture),
                    ["Collector:HttpPort"] = NextPort(),
                },
                bus,
                store,
                builder => builder.AddMetricsCollector([]),
                app => app.MapMetricsCollector()));
        }
        catch
        {
            await StopAsync(services, fleet, work);
            throw;
        }

        return new EmbeddedSuite(fleet, bus, work, services, pickers);
    }

    public async ValueTask DisposeAsync() => await StopAsync(_services, Fleet, _workDirectory);

    private static async Task StopAsync(List<ServiceHost> services, ModelSimFleet fleet, string work)
    {
        // The collector first, so nothing is published to services that are stopping.
        for (var i = services.Count - 1; i >= 0; i--)
        {
            await services[i].DisposeAsync();
        }

        await fleet.DisposeAsync();
        Directory.Delete(work, recursive: true);
    }

    private static string Text(int port) => port.ToString(CultureInfo.InvariantCulture);

    private static int FreePort(IPAddress address)
    {
        using var probe = new TcpListener(address, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>Distinct free ports: every probe stays open until all are chosen, so none is chosen twice.</summary>
    private static int[] FreePorts(int count)
    {
        var probes = new TcpListener[count];
        try
        {
            for (var i = 0; i < count; i++)
            {
                probes[i] = new TcpListener(IPAddress.Any, 0);
                probes[i].Start();
            }

            return [.. probes.Select(probe => ((IPEndPoint)probe.LocalEndpoint).Port)];
        }
        finally
        {
            foreach (var probe in probes)
            {
                probe?.Stop();
            }
        }
    }
}
