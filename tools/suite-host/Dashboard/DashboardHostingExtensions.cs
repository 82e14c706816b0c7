using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Suite.LocalGateway.Observation;

namespace Suite.Host.Dashboard;

/// <summary>
/// The live dashboard on the local gateway: <c>/dashboard</c> (the page), <c>/dashboard/state</c> (JSON) and
/// <c>/dashboard/events</c> (the JSON every second, as server-sent events). The container must hold the suite's
/// <see cref="Suite.Messaging.InMemory.InMemoryBus"/>; an <see cref="Suite.Messaging.IStateStore"/> (warm start) and a
/// <see cref="QueueMeterScope"/> (count only that queue) are used when present.
/// </summary>
internal static class DashboardHostingExtensions
{
    public static IServiceCollection AddDashboard(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<DashboardState>();
        services.AddSingleton<IGatewayObserver>(provider => provider.GetRequiredService<DashboardState>());
        services.AddSingleton<QueueDecisionListener>();
        services.AddHostedService<DashboardFeed>();
        return services;
    }

    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(DashboardEndpoints.PagePath, DashboardEndpoints.WritePageAsync);
        endpoints.MapGet(DashboardEndpoints.StatePath, DashboardEndpoints.WriteStateAsync);
        endpoints.MapGet(DashboardEndpoints.EventsPath, DashboardEndpoints.StreamStateAsync);
        return endpoints;
    }
}
