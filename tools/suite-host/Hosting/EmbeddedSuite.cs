extern alias ModelSim;

using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelSim::Suite.ModelSim.Hosting;
using Suite.Contracts.Catalog;
using Suite.Contracts.Messaging;
using Suite.Contracts.Pools;
using Suite.Host.Cluster;
using Suite.Host.CommandLine;
using Suite.Host.Gateway;
using Suite.Host.Health;
using Suite.Host.Metrics;
using Suite.Host.Ports;
using Suite.Host.Services;
using Suite.Host.Simulation;
using Suite.Messaging.InMemory;

namespace Suite.Host.Hosting;

/// <summary>
/// The whole suite in this process: simulated vLLM pods per pool (127.0.1.x), the queue, one picker per pool, the
/// local gateway with the dashboard, the catalog and the metrics-collector, each built by its production hosting
/// code on its own ports and sharing one in-memory bus and state store; plus the suite's gRPC health and Prometheus
/// endpoints. Subscribers start before publishers: queue, pickers, gateway, then catalog and collector.
/// </summary>
internal sealed partial class EmbeddedSuite : IAsyncDisposable
{
    private readonly ILoggerFactory _busLogging;
    private readonly List<IDisposable> _subscriptions = [];
    private readonly List<ModelSimFleet> _fleets = [];
    private readonly List<SuitePool> _pools = [];
    private readonly SharedMessaging _shared;
    private EmbeddedApp? _health;
    private EmbeddedApp? _metrics;
    private EmbeddedApp? _queue;
    private EmbeddedApp? _gateway;
    private EmbeddedApp? _catalog;
    private EmbeddedApp? _collector;
    private bool _disposed;

    // Where each service listens, so a restarted one comes back on the same ports (EmbeddedSuite.Restarts.cs).
    private (int Grpc, int Http) _queuePorts;
    private int _catalogPort;
    private int _collectorPort;
    private readonly Dictionary<string, (int Grpc, int Health, int Http)> _pickerPorts = new(StringComparer.Ordinal);

    private EmbeddedSuite(SuiteHostOptions options, ClusterFile cluster)
    {
        Options = options;
        Cluster = cluster;
        WorkDirectory = Directory.CreateTempSubdirectory("suite-host-").FullName;
        _busLogging = LoggerFactory.Create(logging => logging
            .SetMinimumLevel(LogLevel.Warning)
            .AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = "HH:mm:ss.fff ";
            }));
        Bus = new InMemoryBus(_busLogging.CreateLogger<InMemoryBus>());
        Store = new InMemoryStateStore(TimeProvider.System);
        _shared = new SharedMessaging(WorkDirectory, Bus, Store) { ServiceSettings = options.ServiceSettings };
        Router = new CatalogModelRouter(cluster.Pools.Select(pool => pool.Name));
        Endpoints = new PodStateEndpoints();
        Readiness.ExpectPools(cluster.Pools.Select(pool => pool.Name));
    }

    public SuiteHostOptions Options { get; }

    public ClusterFile Cluster { get; }

    /// <summary>A temporary folder: the services' empty content root and the effective manifests file; deleted on dispose.</summary>
    public string WorkDirectory { get; }

    /// <summary>The file the collector and the catalog read: the cluster file plus generated Pods, or the cluster file itself without simulators.</summary>
    public string ManifestsFile { get; private set; } = "";

    public InMemoryBus Bus { get; }

    public InMemoryStateStore Store { get; }

    public SuiteReadiness Readiness { get; } = new();

    /// <summary>The gateway's route table, fed by the catalog.</summary>
    public CatalogModelRouter Router { get; }

    /// <summary>Each pool's endpoints, fed by the collector.</summary>
    public PodStateEndpoints Endpoints { get; }

    /// <summary>The pools in file order, once their pickers run.</summary>
    public IReadOnlyList<SuitePool> Pools => _pools;

    public Uri GatewayAddress { get; private set; } = null!;

    public Uri DashboardAddress => new(GatewayAddress, "dashboard");

    /// <summary>The queue service (h2c).</summary>
    public Uri QueueAddress { get; private set; } = null!;

    /// <summary>The gRPC health server (h2c).</summary>
    public Uri HealthAddress { get; private set; } = null!;

    /// <summary>The Prometheus page, <c>/metrics</c>.</summary>
    public Uri MetricsAddress { get; private set; } = null!;

    /// <exception cref="SuiteConfigurationException">A bad cluster file, or ports that cannot all be used.</exception>
    /// <exception cref="SuiteStartException">A port is taken, or a service failed to start.</exception>
    public static Task<EmbeddedSuite> StartAsync(SuiteHostOptions options, CancellationToken cancellationToken) =>
        StartAsync(options, beforePublishers: null, cancellationToken);

    /// <param name="beforePublishers">
    /// Runs when every subscriber (queue, pickers, gateway) and the health and metrics endpoints run, but neither the
    /// catalog nor the collector has published anything yet: lets a test see the suite before its first snapshot.
    /// </param>
    internal static async Task<EmbeddedSuite> StartAsync(
        SuiteHostOptions options, Func<EmbeddedSuite, CancellationToken, Task>? beforePublishers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var cluster = ClusterFile.Load(options.ClusterFile);
        var simulations = cluster.Pools.Select(pool => PoolSimulation.For(pool, options.Simulators)).OfType<PoolSimulation>().ToArray();
        var plan = PortPlan.Create(options, cluster, simulations);
        PortProbe.EnsureFree(plan.Ports);

        var suite = new EmbeddedSuite(options, cluster);
        try
        {
            await suite.StartAsync(plan, simulations, beforePublishers, cancellationToken);
        }
        catch
        {
            await suite.DisposeAsync();
            throw;
        }

        return suite;
    }

    /// <exception cref="TimeoutException">A pool's picker has no snapshot after <paramref name="timeout"/>; the message names the pools.</exception>
    public Task WaitUntilReadyAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        Readiness.WaitUntilReadyAsync(timeout, TimeProvider.System, cancellationToken);

    /// <summary>Stops everything: the gateway and the suite's endpoints first, then collector, catalog, pickers, queue and pods.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await StopAsync(_gateway);
        await StopAsync(_health);
        await StopAsync(_metrics);
        await StopAsync(_collector);
        await StopAsync(_catalog);
        for (var i = _pools.Count - 1; i >= 0; i--)
        {
            await StopAsync(_pools[i].PickerApp);
        }

        await StopAsync(_queue);
        foreach (var fleet in _fleets)
        {
            await fleet.DisposeAsync();
        }

        foreach (var subscription in _subscriptions)
        {
            subscription.Dispose();
        }

        _busLogging.Dispose();
        try
        {
            Directory.Delete(WorkDirectory, recursive: true);
        }
        catch (IOException)
        {
            // a temporary folder left behind is no reason to fail a clean stop
        }
    }

    private async Task StartAsync(
        PortPlan plan, PoolSimulation[] simulations, Func<EmbeddedSuite, CancellationToken, Task>? beforePublishers, CancellationToken cancellationToken)
    {
        var fleets = new Dictionary<string, ModelSimFleet>(StringComparer.Ordinal);
        foreach (var simulation in simulations)
        {
            fleets[simulation.Pool.Name] = await StartFleetAsync(simulation, cancellationToken);
        }

        ManifestsFile = simulations.Length > 0
            ? await EffectiveManifests.WriteAsync(WorkDirectory, Cluster, simulations, cancellationToken)
            : Cluster.Path;

        // Chosen after the pods listen, so no ephemeral port lands on theirs.
        var free = new Queue<int>(PortProbe.FreePorts(4 + (3 * Cluster.Pools.Length)));
        int PortOr(int port) => port != 0 ? port : free.Dequeue();

        _subscriptions.Add(Bus.Subscribe<CatalogSnapshot>(SuiteTopics.Catalog, Router));
        _subscriptions.Add(Bus.Subscribe<PoolSnapshot>(SuiteTopics.PodState, Endpoints));

        _health = await HealthEndpoint.StartAsync(WorkDirectory, Options.HealthPort, Readiness);
        HealthAddress = Loopback(_health.Address.Port);
        _metrics = await MetricsEndpoint.StartAsync(WorkDirectory, Options.MetricsPort);
        MetricsAddress = new Uri(Loopback(_metrics.Address.Port), MetricsEndpoint.Path);

        var queuePort = PortOr(Options.QueuePort);
        _queuePorts = (queuePort, free.Dequeue());
        _queue = await SuiteServices.StartQueueAsync(_shared, _queuePorts.Grpc, _queuePorts.Http);
        QueueAddress = Loopback(queuePort);

        foreach (var pool in Cluster.Pools)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var grpcPort = PortOr(plan.ExtProcPortOf(pool.Index));
            var ports = (grpcPort, free.Dequeue(), free.Dequeue());
            _pickerPorts[pool.Name] = ports;
            var picker = await StartPickerAsync(pool, ports.Item1, ports.Item2, ports.Item3);
            fleets.TryGetValue(pool.Name, out var fleet);
            _pools.Add(new SuitePool(pool, Loopback(grpcPort), picker, Array.Find(simulations, s => s.Pool == pool), fleet));
            Readiness.PickerStarted(pool.Name, picker.Services);
        }

        GatewayPool[] gatewayPools = [.. _pools.Select(pool => new GatewayPool(pool.Name, pool.Picker, pool.Pool.View.FailOpen, pool.Pool.Models))];
        _gateway = await GatewayApp.StartAsync(
            _shared, Options.Address, Options.GatewayPort, gatewayPools, Router, Endpoints, Readiness, _queue.Services.GetRequiredService<IMeterFactory>(), Options.GatewayObserver);
        GatewayAddress = new UriBuilder(_gateway.Address) { Host = ClientHost(Options.Address) }.Uri;

        if (beforePublishers is not null)
        {
            await beforePublishers(this, cancellationToken);
        }

        cancellationToken.ThrowIfCancellationRequested();
        _catalogPort = free.Dequeue();
        _collectorPort = free.Dequeue();
        _catalog = await SuiteServices.StartCatalogAsync(_shared, ManifestsFile, _catalogPort);
        _collector = await SuiteServices.StartCollectorAsync(_shared, ManifestsFile, _collectorPort);
    }

    private async Task<EmbeddedApp> StartPickerAsync(ClusterPool pool, int grpcPort, int healthPort, int httpPort)
    {
        try
        {
            return await SuiteServices.StartPickerAsync(_shared, pool.Name, grpcPort, healthPort, httpPort, Options.ConfigFile, QueueAddress);
        }
        catch (SuiteStartException e) when (e.ServiceExitCode == 2)
        {
            // The picker checks its profile before it listens, and has printed what is wrong with it.
            throw new SuiteConfigurationException($"--config-file: the picker does not accept {Options.ConfigFile}; its message above says why.");
        }
    }

    private async Task<ModelSimFleet> StartFleetAsync(PoolSimulation simulation, CancellationToken cancellationToken)
    {
        try
        {
            var fleet = await ModelSimFleet.StartAsync(simulation.Settings(), cancellation: cancellationToken);
            _fleets.Add(fleet);
            return fleet;
        }
        catch (IOException e)
        {
            throw new SuiteStartException($"the simulated pods of pool {simulation.Pool.Name} cannot listen on port {simulation.Port}: {e.Message}", e);
        }
    }

    private static async Task StopAsync(EmbeddedApp? app)
    {
        if (app is null)
        {
            return;
        }

        try
        {
            await app.DisposeAsync();
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException)
        {
            await Console.Error.WriteLineAsync($"suite: stopping the {app.Name} failed: {e.Message}");
        }
    }

    private static Uri Loopback(int port) => new($"http://127.0.0.1:{port}");

    /// <summary>Where a client on this machine reaches a listener bound to <paramref name="address"/>.</summary>
    private static string ClientHost(string address) => address is "0.0.0.0" or "::" ? "127.0.0.1" : address;
}
