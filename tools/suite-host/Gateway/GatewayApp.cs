using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Suite.Host.Dashboard;
using Suite.Host.Health;
using Suite.Host.Hosting;
using Suite.Host.Services;
using Suite.LocalGateway.Hosting;
using Suite.LocalGateway.Observation;
using Suite.LocalGateway.Routing;

namespace Suite.Host.Gateway;

/// <summary>
/// The local gateway with the dashboard, configured from the cluster file (section <c>Gateway</c>: one entry per
/// pool, the first the default) and routed by the catalog. Its container also holds the shared bus and store and
/// the suite's readiness, for the dashboard.
/// </summary>
internal static class GatewayApp
{
    public const string ReadyPath = "/healthz/ready";

    public static Task<EmbeddedApp> StartAsync(
        SharedMessaging shared,
        string address,
        int port,
        IReadOnlyList<GatewayPool> pools,
        CatalogModelRouter router,
        PodStateEndpoints endpoints,
        SuiteReadiness readiness,
        IMeterFactory queueMeters,
        IGatewayObserver? observer = null)
    {
        var settings = Settings(address, port, pools);
        foreach (var (key, value) in shared.ServiceSettings)
        {
            settings[key] = value; // e.g. Gateway:UpstreamIdleTimeout from a test
        }

        var builder = EmbeddedApp.CreateBuilder(shared.ContentRoot, settings);
        shared.AddTo(builder.Services);
        builder.Services.AddSingleton(readiness);
        builder.Services.AddSingleton(router);
        builder.Services.AddSingleton<IModelRouter>(router);
        builder.Services.AddSingleton(endpoints);
        builder.Services.AddSingleton<IPoolEndpoints>(endpoints);
        builder.Services.AddSingleton(new QueueMeterScope(queueMeters)); // the dashboard counts this suite's queue only
        builder.Services.AddDashboard();
        if (observer is not null)
        {
            builder.Services.AddSingleton(observer);
        }

        builder.AddLocalGateway();

        var app = builder.Build();
        app.MapGet(ReadyPath, ReadyAsync);
        app.MapDashboard();
        app.MapLocalGateway();
        return EmbeddedApp.StartAsync($"local gateway (port {port})", app);
    }

    /// <summary>The gateway's settings as configuration keys, e.g. <c>Gateway:Pools:0:Name</c>.</summary>
    public static Dictionary<string, string?> Settings(string address, int port, IReadOnlyList<GatewayPool> pools)
    {
        ArgumentNullException.ThrowIfNull(pools);
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            [$"{GatewayOptions.Section}:{nameof(GatewayOptions.Address)}"] = address,
            [$"{GatewayOptions.Section}:{nameof(GatewayOptions.Port)}"] = port.ToString(CultureInfo.InvariantCulture),
        };
        for (var i = 0; i < pools.Count; i++)
        {
            var key = string.Create(CultureInfo.InvariantCulture, $"{GatewayOptions.Section}:{nameof(GatewayOptions.Pools)}:{i}");
            var pool = pools[i];
            settings[$"{key}:{nameof(GatewayPoolOptions.Name)}"] = pool.Name;
            settings[$"{key}:{nameof(GatewayPoolOptions.Picker)}"] = pool.Picker.ToString();
            settings[$"{key}:{nameof(GatewayPoolOptions.FailureMode)}"] = (pool.FailOpen ? PickerFailureMode.FailOpen : PickerFailureMode.FailClose).ToString();
            settings[$"{key}:{nameof(GatewayPoolOptions.Default)}"] = i == 0 ? "true" : "false";
            for (var j = 0; j < pool.Models.Count; j++)
            {
                settings[string.Create(CultureInfo.InvariantCulture, $"{key}:{nameof(GatewayPoolOptions.Models)}:{j}")] = pool.Models[j];
            }
        }

        return settings;
    }

    private static async Task<IResult> ReadyAsync(SuiteReadiness readiness, CancellationToken cancellationToken)
    {
        var waiting = await readiness.WaitingPoolsAsync(cancellationToken);
        return waiting.Count == 0
            ? Results.Text("ready\n")
            : Results.Text($"not ready: no pool snapshot yet for {string.Join(", ", waiting)}\n", statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
