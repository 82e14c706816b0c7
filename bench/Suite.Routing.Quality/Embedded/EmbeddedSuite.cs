extern alias Catalog;
extern alias Collector;
extern alias ModelSim;
extern alias Picker;

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
using Suite.Messaging.InMemory;
using Suite.Routing.Quality.Runs;
using Suite.Routing.Quality.Workload;

namespace Suite.Routing.Quality.Embedded;

/// <summary>
/// One strategy's run of one workload, all in this process and started fresh (cold caches): model-sim pods on
/// 127.0.1.N (one port), the metrics-collector scraping them (static manifests), the catalog reading the same file,
/// and the strategy's picker replicas, each built by its production hosting code (<c>AddPicker</c>/<c>MapPicker</c>/
/// <c>RunPickerAsync</c>) on its own loopback ports with the strategy's profile as <c>Picker:ConfigFile</c>, all
/// sharing one in-memory bus and state store.
/// </summary>
internal sealed class EmbeddedSuite : IAsyncDisposable
{
    private readonly string _workDirectory;
    private readonly List<ServiceHost> _services;

    private EmbeddedSuite(ModelSimFleet fleet, InMemoryBus bus, string workDirectory, List<ServiceHost> services, IReadOnlyList<Uri> pickers)
    {
        Fleet = fleet;
        Bus = bus;
        _workDirectory = workDirectory;
        _services = services;
        PickerAddresses = pickers;
    }

    public ModelSimFleet Fleet { get; }

    public InMemoryBus Bus { get; }

    /// <summary>Each picker replica's ext_proc address (h2c).</summary>
    public IReadOnlyList<Uri> PickerAddresses { get; }

    public static EngineProfile ProfileFor(string presetName, FleetShape shape)
    {
        if (!Presets.ByName.TryGetValue(presetName, out var preset))
        {
            throw new ArgumentException($"--preset: no model-sim preset '{presetName}'; choose from {string.Join(", ", Presets.ByName.Keys)}.");
        }

        var profile = preset;
        if (shape.MaxNumSeqs > 0)
        {
            profile = profile with { MaxNumSeqs = shape.MaxNumSeqs };
        }

        if (shape.NumGpuBlocks > 0)
        {
            // A smaller cache must still hold one request of the longest length the model allows.
            profile = profile with { NumGpuBlocks = shape.NumGpuBlocks, MaxModelLen = Math.Min(profile.MaxModelLen, shape.NumGpuBlocks * profile.BlockSize) };
        }

        if (shape.MaxLoras > 0)
        {
            profile = profile with { MaxLoras = shape.MaxLoras };
        }

        var problems = profile.Validate();
        return problems.Count == 0 ? profile : throw new ArgumentException(string.Join(" ", problems));
    }

    public static async Task<EmbeddedSuite> StartAsync(
        RoutingOptions options, WorkloadDefinition workload, Strategy strategy, CancellationToken cancellationToken)
    {
        var profile = ProfileFor(options.Preset, workload.Fleet);
        var work = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"routing-quality-{Environment.ProcessId}-{Guid.NewGuid():N}")).FullName;
        var fleetPort = FreePort(IPAddress.Parse("127.0.1.1"));
        var adapters = string.Join(',', Enumerable.Range(0, workload.Fleet.LoraAdapters).Select(i => $"{WorkloadDefinition.AdapterName(i)}=/adapters/{WorkloadDefinition.AdapterName(i)}"));
        var fleet = await ModelSimFleet.StartAsync(
            new SimulatorSettings(
                new FleetOptions
                {
                    Preset = options.Preset,
                    Instances = options.Instances,
                    Port = fleetPort,
                    LoopbackAddresses = true,
                    LoraModules = adapters,
                    Seed = options.Seed,
                    Speedup = options.Speedup,
                },
                profile,
                new FaultSettings()),
            cancellation: cancellationToken);

        var manifests = Path.Combine(work, "manifests.yaml");
        await File.WriteAllTextAsync(
            manifests, SuiteManifests.Yaml(options.Instances, fleetPort, WorkloadDefinition.CriticalObjective, WorkloadDefinition.SheddableObjective), cancellationToken);
        var profileFile = Path.Combine(work, "picker-profile.yaml");
        await File.WriteAllTextAsync(profileFile, strategy.ProfileYaml, cancellationToken);

        var bus = new InMemoryBus(NullLogger<InMemoryBus>.Instance);
        var store = new InMemoryStateStore(TimeProvider.System);
        var ports = FreePorts(2 + (3 * strategy.Replicas));
        var taken = 0;
        string NextPort() => ports[taken++].ToString(CultureInfo.InvariantCulture);
        var services = new List<ServiceHost>();
        var pickers = new List<Uri>();
        try
        {
            // The pickers subscribe to pod-state before the collector's first round.
            for (var replica = 0; replica < strategy.Replicas; replica++)
            {
                var grpcPort = NextPort();
                var settings = new Dictionary<string, string?>
                {
                    ["Picker:GrpcPort"] = grpcPort,
                    ["Picker:HealthPort"] = NextPort(),
                    ["Picker:HttpPort"] = NextPort(),
                    ["Picker:PoolName"] = SuiteManifests.PoolName,
                    ["Picker:ConfigFile"] = profileFile,
                };
                services.Add(await ServiceHost.StartAsync(
                    $"picker-{replica}", work, settings, bus, store, builder => builder.AddPicker([]), app => app.MapPicker(), app => app.RunPickerAsync()));
                pickers.Add(new Uri($"http://127.0.0.1:{grpcPort}"));
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
