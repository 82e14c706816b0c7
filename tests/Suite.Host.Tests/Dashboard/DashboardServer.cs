using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Suite.Host.Dashboard;
using Suite.LocalGateway.Observation;
using Suite.Messaging.InMemory;

namespace Suite.Host.Tests.Dashboard;

/// <summary>A web app on a free loopback port with only the dashboard and a bus, as the gateway hosts it.</summary>
internal sealed class DashboardServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private DashboardServer(WebApplication app, InMemoryBus bus)
    {
        _app = app;
        Bus = bus;
        BaseAddress = new Uri(app.Urls.Single());
        Client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
    }

    public Uri BaseAddress { get; }

    public InMemoryBus Bus { get; }

    public HttpClient Client { get; }

    /// <summary>What the gateway calls after every request.</summary>
    public IGatewayObserver Observer => _app.Services.GetServices<IGatewayObserver>().Single();

    public static async Task<DashboardServer> StartAsync(TimeProvider? time = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var bus = new InMemoryBus(NullLogger<InMemoryBus>.Instance);
        builder.Services.AddSingleton(bus);
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        builder.Services.AddDashboard();
        var app = builder.Build();
        app.MapDashboard();
        await app.StartAsync();
        return new DashboardServer(app, bus);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
