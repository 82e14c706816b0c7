using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Suite.Catalog.Hosting;
using Suite.Catalog.Tests.Support;
using Suite.Messaging;
using Suite.Messaging.InMemory;

namespace Suite.Catalog.Tests.Hosting;

/// <summary>
/// The real catalog host in static mode on a temporary manifests file, with a recording bus and a fake clock: the
/// file is polled when a test calls <see cref="Poll"/>.
/// </summary>
internal sealed class StaticCatalogHost : IAsyncDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);
    private readonly FakeTimeProvider _time;

    private StaticCatalogHost(string manifests, WebApplicationFactory<CatalogOptions> factory, RecordingBus bus, InMemoryStateStore store, FakeTimeProvider time)
    {
        _time = time;
        ManifestsFile = manifests;
        Factory = factory;
        Bus = bus;
        Store = store;
    }

    public string ManifestsFile { get; }

    public WebApplicationFactory<CatalogOptions> Factory { get; }

    public RecordingBus Bus { get; }

    public InMemoryStateStore Store { get; }

    public HttpClient Client => Factory.CreateClient();

    public static StaticCatalogHost Start(string yaml)
    {
        var manifests = Path.Combine(Path.GetTempPath(), $"suite-catalog-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(manifests, yaml);
        var bus = new RecordingBus();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
        var store = new InMemoryStateStore(time);
        var factory = new WebApplicationFactory<CatalogOptions>().WithWebHostBuilder(host =>
        {
            host.UseSetting("Catalog:Source", "Static");
            host.UseSetting("Catalog:ManifestsFile", manifests);
            host.UseSetting("Catalog:PollInterval", PollInterval.ToString());
            host.UseSetting("Messaging:Mode", "InMemory");
            host.ConfigureServices(services =>
            {
                services.AddSingleton<IEventPublisher>(bus);
                services.AddSingleton<IStateStore>(store);
                services.AddSingleton<TimeProvider>(time);
            });
        });
        _ = factory.Server;
        return new StaticCatalogHost(manifests, factory, bus, store, time);
    }

    /// <summary>Moves the clock by one poll interval: the file is checked, synchronously.</summary>
    public void Poll() => _time.Advance(PollInterval);

    /// <summary>Replaces the file so its size or write time changes even within one clock tick.</summary>
    public void Rewrite(string yaml)
    {
        File.WriteAllText(ManifestsFile, yaml);
        File.SetLastWriteTimeUtc(ManifestsFile, DateTime.UtcNow.AddSeconds(1));
    }

    public async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        File.Delete(ManifestsFile);
    }
}
