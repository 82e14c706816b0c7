using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Suite.Kubernetes.Tests.Fakes;

/// <summary>
/// A small, stateful Kubernetes API server on loopback Kestrel (127.0.0.1, a free port) for integration tests: lists
/// with a resourceVersion, watches that replay history then stay open, GET, POST, PUT with optimistic concurrency,
/// status PUT and merge PATCH, DELETE, and 404/409 Status errors, for Pods, Leases and any custom kind installed.
/// Objects are kept as JSON, so any kind works. Tests arrange state with <see cref="Put"/>, <see cref="Delete"/> and
/// <see cref="InstallKind"/>/<see cref="RemoveKind"/> (a CRD created or deleted) and read back with
/// <see cref="Get{T}"/> and <see cref="Writes"/>. Label selectors are equality-based only; <c>limit</c> and
/// <c>continue</c> are ignored (everything comes in one page). Outages: <see cref="Faults"/>,
/// <see cref="DropOpenWatches"/>, <see cref="Compact"/>, and <see cref="StopAsync"/> then <see cref="RestartAsync"/>.
/// </summary>
internal sealed class InMemoryKubernetesApi : IAsyncDisposable
{
    private readonly InMemoryStore _store = new();
    private readonly ConcurrentQueue<InMemoryWrite> _writes = new();
    private WebApplication? _app;
    private CancellationTokenSource? _stopping;

    private InMemoryKubernetesApi()
    {
        _store.Install(InMemoryKind.Pods, "Pod");
        _store.Install(InMemoryKind.Leases, "Lease");
    }

    /// <summary>E.g. <c>http://127.0.0.1:41234</c>; the same after a restart.</summary>
    public string Host { get; private set; } = string.Empty;

    /// <summary>Every POST, PUT, PATCH and DELETE received so far, in order.</summary>
    public IReadOnlyList<InMemoryWrite> Writes => [.. _writes];

    /// <summary>Switches that make lists, watches and status writes fail.</summary>
    public InMemoryFaults Faults { get; } = new();

    public static async Task<InMemoryKubernetesApi> StartAsync()
    {
        var api = new InMemoryKubernetesApi();
        await api.ServeAsync(port: 0);
        return api;
    }

    /// <summary>The real KubernetesClient, pointed at this server; <paramref name="token"/> is sent as the bearer token.</summary>
    /// <param name="handlers">Put in the client's HTTP pipeline, e.g. to count failed connections.</param>
    public k8s.Kubernetes CreateClient(string? token = null, params DelegatingHandler[] handlers) =>
        new(new KubernetesClientConfiguration { Host = Host, AccessToken = token }, handlers);

    /// <summary>Serves a kind, as creating its CRD does. Pods and Leases are served from the start.</summary>
    /// <param name="kind">E.g. <c>InferencePool</c>; when null, learnt from the first object put whose kind's plural is <paramref name="plural"/>.</param>
    public void InstallKind(string group, string version, string plural, string? kind = null) => _store.Install(new InMemoryKind(group, version, plural), kind);

    /// <summary>
    /// Stops serving a kind, as deleting its CRD does: every object is deleted (a DELETED event each), its watches
    /// end, and until it is installed again list, watch and GET answer 404.
    /// </summary>
    public void RemoveKind(string group, string version, string plural) => _store.Remove(new InMemoryKind(group, version, plural));

    /// <summary>
    /// Creates or replaces an object, emitting ADDED or MODIFIED: a typed KubernetesClient model, an anonymous object
    /// in the wire shape, a <see cref="JsonObject"/> or JSON text. Its apiVersion and kind pick the installed kind.
    /// Sets the namespace (<c>default</c>), uid and creationTimestamp when unset, and a new resourceVersion.
    /// Works while the server is stopped too: the cluster changes while its API is unreachable.
    /// </summary>
    /// <returns>The object as stored.</returns>
    public JsonObject Put(object kubernetesObject)
    {
        ArgumentNullException.ThrowIfNull(kubernetesObject);
        var json = kubernetesObject switch
        {
            JsonObject node => node.DeepClone(),
            string text => JsonNode.Parse(text),
            _ => JsonNode.Parse(KubernetesJson.Serialize(kubernetesObject)),
        };
        return _store.Put(json as JsonObject ?? throw new ArgumentException("A Kubernetes object must be a JSON object.", nameof(kubernetesObject)));
    }

    /// <summary>Deletes an object, emitting DELETED; false if there was none.</summary>
    public bool Delete(string group, string version, string plural, string namespaceName, string name) =>
        _store.Delete(new InMemoryKind(group, version, plural), namespaceName, name);

    /// <summary>The stored object deserialized with KubernetesClient's settings (or as a <see cref="JsonObject"/>); null if there is none.</summary>
    public T? Get<T>(string group, string version, string plural, string namespaceName, string name)
        where T : class =>
        _store.Get(new InMemoryKind(group, version, plural), namespaceName, name) is { } json ? KubernetesJson.Deserialize<T>(json) : null;

    /// <summary>Aborts the connection of every open watch, as a network failure or an API server restart does; changes made after this reach none of them.</summary>
    public void DropOpenWatches() => _store.DropAllWatches();

    /// <summary>
    /// Forgets the change history so far, as etcd compaction does: a watch from an older resourceVersion is answered
    /// with an ERROR event carrying 410 Expired, so the client must list again.
    /// </summary>
    public void Compact() => _store.Compact();

    /// <summary>Goes down: open watches are dropped and connections to <see cref="Host"/> are refused until <see cref="RestartAsync"/>.</summary>
    public async Task StopAsync()
    {
        _store.DropAllWatches();
        await ShutDownAsync();
    }

    /// <summary>Comes back on the same port, with the same objects and history.</summary>
    public Task RestartAsync() => ServeAsync(new Uri(Host).Port);

    public async ValueTask DisposeAsync()
    {
        // Open watches would otherwise hold the shutdown up.
        _store.EndAllWatches();
        await ShutDownAsync();
    }

    private async Task ServeAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        var stopping = new CancellationTokenSource();
        app.Run(new InMemoryRequestHandler(_store, _writes, Faults, stopping.Token).HandleAsync);
        await app.StartAsync();
        (_app, _stopping) = (app, stopping);
        Host = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
    }

    private async Task ShutDownAsync()
    {
        if (_app is not { } app || _stopping is not { } stopping)
        {
            return;
        }

        (_app, _stopping) = (null, null);
        await stopping.CancelAsync();
        await app.StopAsync();
        await app.DisposeAsync();
        stopping.Dispose();
    }
}
