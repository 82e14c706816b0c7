extern alias Catalog;
extern alias Collector;
extern alias Picker;
extern alias Queue;

using System.Globalization;
using Catalog::Suite.Catalog.Hosting;
using Collector::Suite.MetricsCollector.Hosting;
using Microsoft.AspNetCore.Builder;
using Picker::Suite.Picker.Hosting;
using Queue::Suite.Queue.Hosting;
using Suite.Host.Hosting;

namespace Suite.Host.Services;

/// <summary>
/// Starts each service of the suite the way its own Program does (<c>AddXxx</c>, <c>MapXxx</c>, run), on its
/// own Kestrel ports, configured through the keys it reads in production, over the shared in-memory messaging.
/// </summary>
internal static class SuiteServices
{
    public static Task<EmbeddedApp> StartQueueAsync(SharedMessaging shared, int grpcPort, int httpPort) =>
        StartAsync(
            $"queue (port {grpcPort})",
            shared,
            new Dictionary<string, string?>
            {
                ["Queue:GrpcPort"] = Text(grpcPort),
                ["Queue:HttpPort"] = Text(httpPort),
                ["Queue:ShardIndex"] = "0", // not from HOSTNAME, whatever this machine is called
            },
            builder => builder.AddQueue([]),
            app => app.MapQueue());

    public static Task<EmbeddedApp> StartPickerAsync(
        SharedMessaging shared, string pool, int grpcPort, int healthPort, int httpPort, string configFile, Uri queue) =>
        StartAsync(
            $"picker of pool {pool} (ext_proc port {grpcPort})",
            shared,
            new Dictionary<string, string?>
            {
                ["Picker:PoolName"] = pool,
                ["Picker:GrpcPort"] = Text(grpcPort),
                ["Picker:HealthPort"] = Text(healthPort),
                ["Picker:HttpPort"] = Text(httpPort),
                ["Picker:ConfigFile"] = configFile,
                ["Picker:Queue:Addresses:0"] = queue.ToString().TrimEnd('/'),
            },
            builder => builder.AddPicker([]),
            app => app.MapPicker(),
            app => app.RunPickerAsync());

    public static Task<EmbeddedApp> StartCatalogAsync(SharedMessaging shared, string manifestsFile, int httpPort) =>
        StartAsync(
            "catalog",
            shared,
            new Dictionary<string, string?>
            {
                ["Catalog:Source"] = "Static",
                ["Catalog:ManifestsFile"] = manifestsFile,
                ["Catalog:HttpPort"] = Text(httpPort),
            },
            builder => builder.AddCatalog([]),
            app => app.MapCatalog());

    public static Task<EmbeddedApp> StartCollectorAsync(SharedMessaging shared, string manifestsFile, int httpPort) =>
        StartAsync(
            "metrics-collector",
            shared,
            new Dictionary<string, string?>
            {
                ["Collector:Discovery"] = "Static",
                ["Collector:ManifestsFile"] = manifestsFile,
                ["Collector:HttpPort"] = Text(httpPort),
            },
            builder => builder.AddMetricsCollector([]),
            app => app.MapMetricsCollector());

    private static Task<EmbeddedApp> StartAsync(
        string name,
        SharedMessaging shared,
        Dictionary<string, string?> settings,
        Action<WebApplicationBuilder> add,
        Action<WebApplication> map,
        Func<WebApplication, Task<int>>? run = null)
    {
        settings["Messaging:Mode"] = "InMemory";
        foreach (var (key, value) in shared.ServiceSettings)
        {
            settings[key] = value;
        }

        var builder = EmbeddedApp.CreateBuilder(shared.ContentRoot, settings);
        shared.AddTo(builder.Services);
        add(builder);
        var app = builder.Build();
        map(app);
        return EmbeddedApp.StartAsync(name, app, run);
    }

    private static string Text(int port) => port.ToString(CultureInfo.InvariantCulture);
}
