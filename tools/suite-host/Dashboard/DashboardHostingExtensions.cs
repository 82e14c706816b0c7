using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Suite.Host.Dashboard;

/// <summary>The dashboard on the local gateway (placeholder until the dashboard lands).</summary>
internal static class DashboardHostingExtensions
{
    public static IServiceCollection AddDashboard(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder endpoints) => endpoints;
}
