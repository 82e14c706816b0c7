extern alias ModelSim;

using Suite.Host.Services;

namespace Suite.Host.Hosting;

/// <summary>
/// Stopping and starting parts of the running suite, as Kubernetes kills and restarts pods: a service, a pool's
/// picker, or one simulated model server. A part comes back on the same ports with fresh state, and whatever it
/// keeps across restarts comes from the shared state store, as in production. Used by the fault-injection tests.
/// </summary>
internal sealed partial class EmbeddedSuite
{
    /// <summary>Stops <paramref name="service"/> (a no-op when it is stopped); the rest of the suite runs on.</summary>
    public async Task StopAsync(SuiteService service)
    {
        switch (service)
        {
            case SuiteService.Queue:
                await StopAsync(_queue);
                _queue = null;
                break;
            case SuiteService.Catalog:
                await StopAsync(_catalog);
                _catalog = null;
                break;
            case SuiteService.Collector:
                await StopAsync(_collector);
                _collector = null;
                break;
        }
    }

    /// <summary>Starts a stopped <paramref name="service"/> again on its ports (a no-op when it runs).</summary>
    public async Task StartAsync(SuiteService service)
    {
        switch (service)
        {
            case SuiteService.Queue:
                _queue ??= await SuiteServices.StartQueueAsync(_shared, _queuePorts.Grpc, _queuePorts.Http);
                break;
            case SuiteService.Catalog:
                _catalog ??= await SuiteServices.StartCatalogAsync(_shared, ManifestsFile, _catalogPort);
                break;
            case SuiteService.Collector:
                _collector ??= await SuiteServices.StartCollectorAsync(_shared, ManifestsFile, _collectorPort);
                break;
        }
    }

    public bool IsRunning(SuiteService service) => service switch
    {
        SuiteService.Queue => _queue is not null,
        SuiteService.Catalog => _catalog is not null,
        _ => _collector is not null,
    };

    /// <summary>Stops the picker of <paramref name="pool"/>: its in-memory state (in-flight counts, prefix index) goes with it.</summary>
    public async Task StopPickerAsync(string pool)
    {
        var index = PoolIndex(pool);
        if (_pools[index].PickerApp is { } running)
        {
            Readiness.PickerStopped(pool);
            await StopAsync(running);
            _pools[index] = _pools[index] with { PickerApp = null };
        }
    }

    /// <summary>Starts the picker of <paramref name="pool"/> again: it starts warm from the state store, as in production.</summary>
    public async Task StartPickerAsync(string pool)
    {
        var index = PoolIndex(pool);
        if (_pools[index].PickerApp is null)
        {
            var (grpc, health, http) = _pickerPorts[pool];
            var picker = await StartPickerAsync(_pools[index].Pool, grpc, health, http);
            _pools[index] = _pools[index] with { PickerApp = picker };
            Readiness.PickerStarted(pool, picker.Services);
        }
    }

    /// <summary>Stops simulated pod <paramref name="index"/> of <paramref name="pool"/>: its connections drop and its port refuses.</summary>
    public Task StopPodAsync(string pool, int index) => FleetOf(pool).StopInstanceAsync(index);

    /// <summary>Starts simulated pod <paramref name="index"/> of <paramref name="pool"/> again, empty, on its address.</summary>
    public Task StartPodAsync(string pool, int index) => FleetOf(pool).RestartInstanceAsync(index);

    private int PoolIndex(string pool)
    {
        var index = _pools.FindIndex(candidate => candidate.Name == pool);
        return index >= 0 ? index : throw new ArgumentException($"no pool {pool} in this suite", nameof(pool));
    }

    private ModelSim::Suite.ModelSim.Hosting.ModelSimFleet FleetOf(string pool) =>
        _pools[PoolIndex(pool)].Fleet ?? throw new InvalidOperationException($"pool {pool} has no simulated pods");
}
