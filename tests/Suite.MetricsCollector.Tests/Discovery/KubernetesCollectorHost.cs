using System.Globalization;
using System.Net;
using k8s;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Suite.Contracts.Pools;
using Suite.Kubernetes.Tests.Fakes;
using Suite.Kubernetes.Tests.Support;
using Suite.Messaging;
using Suite.MetricsCollector.Hosting;
using Suite.MetricsCollector.Tests.Collecting;

namespace Suite.MetricsCollector.Tests.Discovery;

/// <summary>
/// The collector host, built by its production code, in Kubernetes discovery mode against the in-memory API server:
/// short watch backoffs (<c>Collector:Watch</c>), a 50 ms scrape timer, and every pod-state snapshot recorded. Pods
/// live on 127.0.2.N where nothing listens, so their scrapes fail at once; the endpoint sets are what count here.
/// </summary>
internal sealed class KubernetesCollectorHost : IAsyncDisposable
{
    public static readonly TimeSpan BackoffBase = TimeSpan.FromMilliseconds(50);
    public static readonly TimeSpan BackoffCap = TimeSpan.FromMilliseconds(200);
    public static readonly TimeSpan ScrapeInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>Scheduling slack on a busy two-core test machine; the rest of each bound follows from the settings.</summary>
    public static readonly TimeSpan Slack = TimeSpan.FromSeconds(2);

    /// <summary>
    /// From the API server answering again to a snapshot showing the new state: a watcher may have just begun its
    /// longest delay (<see cref="BackoffCap"/>), then lists or watches, then the next round starts within one interval
    /// and waits for its scrapes at most one more.
    /// </summary>
    public static readonly TimeSpan ConvergenceBound = BackoffCap + (2 * ScrapeInterval) + Slack;

    private readonly WebApplicationFactory<CollectorOptions> _factory;
    private readonly k8s.Kubernetes _client;

    private KubernetesCollectorHost(WebApplicationFactory<CollectorOptions> factory, k8s.Kubernetes client, RecordingPublisher published, FailedConnections failedConnections)
    {
        _factory = factory;
        _client = client;
        Published = published;
        FailedConnections = failedConnections;
    }

    public RecordingPublisher Published { get; }

    /// <summary>The collector's API requests that got no answer, e.g. while the server is down.</summary>
    public FailedConnections FailedConnections { get; }

    public static KubernetesCollectorHost Start(InMemoryKubernetesApi server)
    {
        var published = new RecordingPublisher();
        var failedConnections = new FailedConnections();
        var client = server.CreateClient(handlers: failedConnections);
        var factory = new WebApplicationFactory<CollectorOptions>().WithWebHostBuilder(host =>
        {
            host.UseSetting("Collector:Discovery", "Kubernetes");
            host.UseSetting("Collector:WatchLegacyPools", "false");
            host.UseSetting("Collector:ScrapeInterval", Format(ScrapeInterval));
            host.UseSetting("Collector:ScrapeTimeout", "00:00:00.200");
            host.UseSetting("Collector:Watch:BackoffBase", Format(BackoffBase));
            host.UseSetting("Collector:Watch:BackoffCap", Format(BackoffCap));
            host.UseSetting("Messaging:Mode", "InMemory");
            host.ConfigureServices(services =>
            {
                services.AddSingleton<IKubernetes>(client);
                services.AddSingleton<IEventPublisher>(published);
            });
        });
        _ = factory.Server;
        return new KubernetesCollectorHost(factory, client, published, failedConnections);
    }

    /// <summary>The options the collector bound from its settings.</summary>
    public CollectorOptions Options => _factory.Services.GetRequiredService<IOptions<CollectorOptions>>().Value;

    /// <summary>Every snapshot of <paramref name="pool"/> so far, in publishing order.</summary>
    public IReadOnlyList<PoolSnapshot> Snapshots(string pool) => [.. Published.Snapshots.Where(s => s.PoolName == pool)];

    /// <summary>The latest snapshot of each pool: its endpoint addresses.</summary>
    public Dictionary<string, string[]> Latest() => Published.Snapshots
        .GroupBy(s => s.PoolName, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.Last().Endpoints.Select(e => e.Address).ToArray(), StringComparer.Ordinal);

    public async Task<HttpStatusCode> ReadinessAsync()
    {
        using var http = _factory.CreateClient();
        using var response = await http.GetAsync(new Uri("/readyz", UriKind.Relative));
        return response.StatusCode;
    }

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        _client.Dispose();
    }

    private static string Format(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);
}
