using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using k8s;
using Suite.Catalog.Hosting;
using Suite.Catalog.Leadership;
using Suite.Catalog.Tests.Support;
using Suite.Kubernetes.Tests.Fakes;
using Suite.Messaging;
using Suite.Messaging.InMemory;

namespace Suite.Catalog.Tests.Kubernetes;

/// <summary>
/// One catalog replica in Kubernetes mode against the in-memory API server, with its own bearer token (so the
/// server's write log tells replicas apart), its own recording bus, and leader election on short timings.
/// </summary>
internal sealed class CatalogReplica : IAsyncDisposable
{
    public const string LeaseNamespace = "inference-suite";

    private CatalogReplica(string identity, WebApplicationFactory<CatalogOptions> factory, RecordingBus bus)
    {
        Identity = identity;
        Factory = factory;
        Bus = bus;
    }

    public string Identity { get; }

    public string Token => "token-" + Identity;

    public WebApplicationFactory<CatalogOptions> Factory { get; }

    public RecordingBus Bus { get; }

    public bool IsLeader => Factory.Services.GetRequiredService<ICatalogLeadership>().IsLeader;

    /// <param name="settings">More configuration, e.g. <c>Catalog:Watch:BackoffCap</c>.</param>
    /// <param name="handlers">Put in the replica's Kubernetes client, e.g. to count failed connections.</param>
    public static CatalogReplica Start(
        InMemoryKubernetesApi server, string identity, bool electLeader = true, IReadOnlyDictionary<string, string>? settings = null, params DelegatingHandler[] handlers)
    {
        var bus = new RecordingBus();
        var client = server.CreateClient("token-" + identity, handlers);
        var factory = new WebApplicationFactory<CatalogOptions>().WithWebHostBuilder(host =>
        {
            host.UseSetting("Catalog:Source", "Kubernetes");
            host.UseSetting("Catalog:RetryInterval", "00:00:00.100");
            host.UseSetting("Catalog:LeaderElection:Enabled", electLeader ? "true" : "false");
            host.UseSetting("Catalog:LeaderElection:Identity", identity);
            host.UseSetting("Catalog:LeaderElection:LeaseNamespace", LeaseNamespace);
            host.UseSetting("Catalog:LeaderElection:LeaseDuration", "00:00:01");
            host.UseSetting("Catalog:LeaderElection:RenewDeadline", "00:00:00.600");
            host.UseSetting("Catalog:LeaderElection:RetryPeriod", "00:00:00.100");
            host.UseSetting("Messaging:Mode", "InMemory");
            foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            {
                host.UseSetting(key, value);
            }

            host.ConfigureServices(services =>
            {
                services.AddSingleton<IKubernetes>(client);
                services.AddSingleton<IEventPublisher>(bus);
                services.AddSingleton<IStateStore>(new InMemoryStateStore(TimeProvider.System));
            });
        });
        _ = factory.Server;
        return new CatalogReplica(identity, factory, bus);
    }

    public ValueTask DisposeAsync() => Factory.DisposeAsync();
}
