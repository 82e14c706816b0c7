using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Suite.ModelSim.Engine;
using Suite.ModelSim.Faults;

namespace Suite.ModelSim.Hosting;

/// <summary>
/// Several simulated servers in one process, each with its own HTTP listener and engine, so one can be stopped
/// (a pod dies) while the others go on. Used by the command line, by tests and by the local suite.
/// </summary>
public sealed class ModelSimFleet : IAsyncDisposable
{
    private readonly List<(SimulatorInstance Instance, WebApplication App)> _members = [];
    private readonly SimulatorSettings _settings;
    private readonly TimeProvider _time;

    private ModelSimFleet(SimulatorSettings settings, TimeProvider time)
    {
        _settings = settings;
        _time = time;
    }

    public IReadOnlyList<SimulatorInstance> Instances => [.. _members.Select(m => m.Instance)];

    public static async Task<ModelSimFleet> StartAsync(SimulatorSettings settings, TimeProvider? time = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var fleet = new ModelSimFleet(settings, time ?? TimeProvider.System);
        try
        {
            for (var i = 0; i < settings.Fleet.Instances; i++)
            {
                fleet._members.Add(await fleet.StartInstanceAsync(i, cancellation));
            }
        }
        catch
        {
            await fleet.DisposeAsync();
            throw;
        }

        return fleet;
    }

    /// <summary>Stops one instance's listener and engine: its connections drop, as when a pod dies.</summary>
    public async Task StopInstanceAsync(int index)
    {
        var (instance, app) = _members[index];
        await app.StopAsync(TimeSpan.Zero);
        await app.DisposeAsync();
        await instance.DisposeAsync();
    }

    /// <summary>
    /// Starts a stopped instance again on the same address, as a fresh server (empty queues and caches, the faults
    /// it started with): a pod restarted by its Deployment.
    /// </summary>
    public async Task RestartInstanceAsync(int index, CancellationToken cancellation = default)
    {
        _members[index] = await StartInstanceAsync(index, cancellation);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (instance, app) in _members)
        {
            await app.DisposeAsync();
            await instance.DisposeAsync();
        }

        _members.Clear();
    }

    private async Task<(SimulatorInstance, WebApplication)> StartInstanceAsync(int index, CancellationToken cancellation)
    {
        var settings = _settings;
        var time = _time;
        var fleet = settings.Fleet;
        var host = fleet.LoopbackAddresses ? $"127.0.1.{index + 1}" : fleet.Host;
        var port = fleet.LoopbackAddresses || fleet.Port == 0 ? fleet.Port : fleet.Port + index;
        var instanceSettings = new InstanceSettings(fleet.MetricsFormat, fleet.Seed + index, fleet.ParseLoraModules(), fleet.Speedup, settings.Faults);
        var instance = new SimulatorInstance($"{fleet.NamePrefix}-{index}", settings.Engine, instanceSettings, time);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls($"http://{host}:{port}");
        var app = builder.Build();
        app.MapSimulator(instance);
        try
        {
            await app.StartAsync(cancellation);
        }
        catch
        {
            await app.DisposeAsync();
            await instance.DisposeAsync();
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        instance.Address = new Uri(address);
        return (instance, app);
    }
}
