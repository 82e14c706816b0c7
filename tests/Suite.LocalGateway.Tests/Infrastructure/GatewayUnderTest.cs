using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Suite.LocalGateway.Hosting;
using Suite.LocalGateway.Observation;
using Suite.LocalGateway.Routing;

namespace Suite.LocalGateway.Tests.Infrastructure;

/// <summary>The gateway built by its own hosting extensions on a free port, with the test's pools, endpoints and an observer.</summary>
internal sealed class GatewayUnderTest : IAsyncDisposable, IGatewayObserver, IPoolEndpoints
{
    private readonly WebApplication _app;
    private readonly Dictionary<string, IReadOnlyList<string>> _endpoints;

    private GatewayUnderTest(WebApplication app, int port, Dictionary<string, IReadOnlyList<string>> endpoints)
    {
        _app = app;
        _endpoints = endpoints;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
    }

    public HttpClient Client { get; }

    private Channel<GatewayExchange> Exchanges { get; } = Channel.CreateUnbounded<GatewayExchange>();

    /// <summary>The next request the gateway reported finished (waits up to 10 s).</summary>
    public async Task<GatewayExchange> NextExchangeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await Exchanges.Reader.ReadAsync(timeout.Token);
    }

    public static async Task<GatewayUnderTest> StartAsync(
        IReadOnlyList<GatewayPoolOptions> pools,
        Dictionary<string, IReadOnlyList<string>>? endpoints = null,
        TimeSpan? messageTimeout = null,
        long maxBodyBytes = 16 * 1024 * 1024)
    {
        var port = FreePorts.Next();
        var settings = new Dictionary<string, string?>
        {
            ["Gateway:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Gateway:MaxRequestBodyBytes"] = maxBodyBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Gateway:MessageTimeout"] = (messageTimeout ?? TimeSpan.FromSeconds(10)).ToString("c", System.Globalization.CultureInfo.InvariantCulture),
        };
        for (var i = 0; i < pools.Count; i++)
        {
            var pool = pools[i];
            settings[$"Gateway:Pools:{i}:Name"] = pool.Name;
            settings[$"Gateway:Pools:{i}:Picker"] = pool.Picker!.ToString();
            settings[$"Gateway:Pools:{i}:FailureMode"] = pool.FailureMode.ToString();
            settings[$"Gateway:Pools:{i}:Default"] = pool.Default ? "true" : "false";
            for (var m = 0; m < pool.Models.Count; m++)
            {
                settings[$"Gateway:Pools:{i}:Models:{m}"] = pool.Models[m];
            }

            for (var s = 0; s < pool.EndpointSubset.Count; s++)
            {
                settings[$"Gateway:Pools:{i}:EndpointSubset:{s}"] = pool.EndpointSubset[s];
            }
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(settings);
        var gateway = default(GatewayUnderTest);
        var known = endpoints ?? [];
        builder.Services.AddSingleton<IGatewayObserver>(_ => gateway!);
        builder.Services.AddSingleton<IPoolEndpoints>(_ => gateway!);
        builder.AddLocalGateway();
        var app = builder.Build();
        app.MapLocalGateway();
        gateway = new GatewayUnderTest(app, port, known);
        await app.StartAsync();
        return gateway;
    }

    public void Completed(GatewayExchange exchange) => Exchanges.Writer.TryWrite(exchange);

    public IReadOnlyList<string> EndpointsOf(string pool) => _endpoints.TryGetValue(pool, out var endpoints) ? endpoints : [];

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
