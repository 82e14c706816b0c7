using System.Globalization;
using System.Net;
using System.Text.Json;
using Suite.Catalog.Tests.Support;
using Suite.Kubernetes.Tests.Fakes;
using Suite.Kubernetes.Tests.Support;
using Xunit.Abstractions;
using static Suite.Catalog.Tests.Kubernetes.ChatPoolScenario;

namespace Suite.Catalog.Tests.Kubernetes;

/// <summary>
/// The catalog through API server trouble. While the API misbehaves the cluster changes (<see cref="ChatPoolScenario"/>);
/// once it recovers the published catalog is exactly the new one within <see cref="ConvergenceBound"/>, versions keep
/// rising, nothing wrong is published in between, and the new model's status is written. During an outage the catalog
/// stays ready, publishes nothing and answers from what it knew. Status writes that fail are retried until written.
/// </summary>
public sealed class ApiFaultConvergenceTests(ITestOutputHelper output)
{
    private const string Models = "inferencemodels";
    private const string Objectives = "inferenceobjectives";

    private static readonly TimeSpan BackoffBase = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan BackoffCap = TimeSpan.FromMilliseconds(200);

    /// <summary><c>Catalog:RetryInterval</c> as <see cref="CatalogReplica"/> sets it.</summary>
    private static readonly TimeSpan RetryInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Scheduling slack on a busy two-core test machine; the rest of each bound follows from the settings.</summary>
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(2);

    /// <summary>
    /// From the API server answering again to the new catalog published: a watcher may have just begun its longest
    /// delay, then lists or watches; the catalog publishes on the change itself.
    /// </summary>
    private static readonly TimeSpan ConvergenceBound = BackoffCap + Slack;

    /// <summary>From status writes succeeding again to the conditions written: the catalog retries every interval.</summary>
    private static readonly TimeSpan StatusBound = RetryInterval + Slack;

    private static readonly Dictionary<string, string> WatchSettings = new(StringComparer.Ordinal)
    {
        ["Catalog:Watch:BackoffBase"] = BackoffBase.ToString("c", CultureInfo.InvariantCulture),
        ["Catalog:Watch:BackoffCap"] = BackoffCap.ToString("c", CultureInfo.InvariantCulture),
    };

    [Fact]
    public async Task WatchesDroppedMidStreamRepeatedly_TheCatalogConvergesWhileTheDropsGoOn()
    {
        await using var server = await StartClusterAsync();
        await using var catalog = await StartCatalogAsync(server);

        server.Faults.DropWatchesAfter(1);
        ChangeTheCluster(server);
        await ConvergeAsync(server, catalog, "dropped watches");

        // Four model events (three changes and the new model's status) through watches cut after one event each.
        Assert.InRange(server.Faults.Count(InMemoryRequestKind.Watch, Models), 3, int.MaxValue);
        AssertNothingWrongPublished(catalog.Bus.Snapshots);
    }

    [Fact]
    public async Task WatchGoneAfterAGap_TheRelistBringsTheChanges_IncludingTheDeletionTheWatchNeverSaw()
    {
        await using var server = await StartClusterAsync();
        await using var catalog = await StartCatalogAsync(server);

        // The watchers are away (every watch is cut as it opens) while the cluster changes and etcd compacts its history.
        server.Faults.DropWatchesAfter(0);
        server.DropOpenWatches();
        var publishedBefore = catalog.Bus.Snapshots.Count;
        ChangeTheCluster(server);
        server.Compact();
        await Eventually.AssertAsync(() => Failed(server, InMemoryRequestKind.Watch) >= 3, "three cut watches of models and of objectives");
        var duringOutage = await ObserveAsync(catalog);
        server.Faults.Clear();
        await ConvergeAsync(server, catalog, "410 Gone after a gap");

        AssertLastStateKept(duringOutage, publishedBefore);
        AssertNothingWrongPublished(catalog.Bus.Snapshots);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    public async Task ListsAndWatchesFailWithServerErrors_ThenRecover_TheCatalogConverges(int statusCode)
    {
        await using var server = await StartClusterAsync();
        await using var catalog = await StartCatalogAsync(server);

        server.Faults.FailWatches(statusCode);
        server.Faults.FailLists(statusCode);
        server.DropOpenWatches();
        var publishedBefore = catalog.Bus.Snapshots.Count;
        ChangeTheCluster(server);
        server.Compact(); // so the watch that works again answers 410, and the relist it needs meets failing lists
        await Eventually.AssertAsync(() => Failed(server, InMemoryRequestKind.Watch) >= 3, "three failed watches of models and of objectives");
        server.Faults.FailWatches(0);
        await Eventually.AssertAsync(() => Failed(server, InMemoryRequestKind.List) >= 3, "three failed lists of models and of objectives");
        var duringOutage = await ObserveAsync(catalog);
        server.Faults.Clear();
        await ConvergeAsync(server, catalog, $"lists and watches answering {statusCode}");

        AssertLastStateKept(duringOutage, publishedBefore);
        AssertNothingWrongPublished(catalog.Bus.Snapshots);
    }

    [Fact]
    public async Task ApiServerDown_ThenBackOnTheSamePort_TheCatalogConverges()
    {
        await using var server = await StartClusterAsync();
        var failedConnections = new FailedConnections();
        await using var catalog = await StartCatalogAsync(server, failedConnections);

        await server.StopAsync();
        var (publishedBefore, refusedBefore) = (catalog.Bus.Snapshots.Count, failedConnections.Count);
        ChangeTheCluster(server);
        await Eventually.AssertAsync(() => failedConnections.Count >= refusedBefore + 15, "three refused connections per watcher");
        var duringOutage = await ObserveAsync(catalog);
        await server.RestartAsync();
        await ConvergeAsync(server, catalog, "the API server down and back");

        AssertLastStateKept(duringOutage, publishedBefore);
        AssertNothingWrongPublished(catalog.Bus.Snapshots);
    }

    [Theory]
    [InlineData(409)]
    [InlineData(500)]
    public async Task StatusWritesFail_WhileTheWatchWorks_TheCatalogIsPublished_AndTheStatusIsWrittenOnceTheyRecover(int statusCode)
    {
        await using var server = await StartClusterAsync();
        await using var catalog = await StartCatalogAsync(server);

        server.Faults.FailStatusWrites(statusCode);
        Cluster.PutModel(server, "code", "code", Pool, "2026-11-02T09:00:00Z");
        Cluster.PutModel(server, "lost", "lost", "no-such-pool", "2026-11-02T09:00:00Z");
        await Eventually.AssertAsync(() => server.Faults.Count(InMemoryRequestKind.StatusWrite, Models) >= 6, "three failed status writes for each new model");
        var (codeDuring, lostDuring, published) = (Cluster.Accepted(server, "code"), Cluster.Accepted(server, "lost"), catalog.Bus.Snapshots[^1]);
        server.Faults.Clear();
        var took = await Convergence.WithinAsync(
            StatusBound,
            () => Cluster.Accepted(server, "code") == ("True", "Accepted") && Cluster.Accepted(server, "lost") == ("False", "PoolNotFound"),
            "both conditions written");
        output.WriteLine($"status writes answering {statusCode}: written in {took.TotalMilliseconds:0} ms (bound {StatusBound.TotalMilliseconds:0} ms)");

        Assert.Equal((null, null), (codeDuring, lostDuring));
        Assert.Equal([ModelsBefore[0], "code Standard [code-v1:1]", ModelsBefore[1], ModelsBefore[2]], ChatPoolScenario.Models(published));
        var written = Cluster.StatusWrites(server).Select(w => w.Name).Where(n => n is "code" or "lost").Order(StringComparer.Ordinal);
        Assert.Equal(["code", "lost"], written); // once each, after the faults
    }

    [Fact]
    public async Task ModelRecreatedInAGap_RightAfterItsStatusWasWritten_TheNewObjectGetsItsStatus()
    {
        await using var server = await StartClusterAsync();

        // The watches go away as the status write leaves, so the catalog never sees the object showing what it wrote.
        var hook = new FirstRequestHook(
            request => request.Method == HttpMethod.Patch && request.RequestUri!.AbsolutePath.EndsWith("/inferencemodels/code/status", StringComparison.Ordinal),
            () =>
            {
                server.Faults.FailWatches(503);
                server.DropOpenWatches();
            });
        await using var catalog = await StartCatalogAsync(server, hook);
        Cluster.PutModel(server, "code", "code", Pool, "2026-11-02T09:00:00Z");
        await Eventually.AssertAsync(() => Cluster.Accepted(server, "code") is not null, "the first object's status");

        // Deleted and created again (a fresh object without status) while the watches are away and history is compacted.
        Assert.True(Cluster.DeleteModel(server, "code"));
        Cluster.PutModel(server, "code", "code", Pool, "2026-11-02T09:00:00Z");
        server.Compact();
        await Eventually.AssertAsync(() => Failed(server, InMemoryRequestKind.Watch) >= 3, "three failed watches of models and of objectives");
        var whileAway = Cluster.Accepted(server, "code");
        server.Faults.Clear();
        var took = await Convergence.WithinAsync(
            ConvergenceBound + StatusBound, () => Cluster.Accepted(server, "code") == ("True", "Accepted"), "the new object's status");
        output.WriteLine($"model recreated in a gap: its status written in {took.TotalMilliseconds:0} ms");

        Assert.Null(whileAway);
        Assert.Equal(["code", "code"], Cluster.StatusWrites(server).Select(w => w.Name).Where(n => n == "code"));
    }

    [Fact]
    public async Task ApiFailingAtStart_NotReadyAndNothingPublished_UntilTheListsSucceed()
    {
        await using var server = await StartClusterAsync();
        server.Faults.FailLists(503);
        await using var catalog = CatalogReplica.Start(server, "solo", electLeader: false, WatchSettings);

        await Eventually.AssertAsync(() => Failed(server, InMemoryRequestKind.List) >= 3, "three failed lists of models and of objectives");
        var duringOutage = await ObserveAsync(catalog);
        server.Faults.Clear();
        var took = await Convergence.WithinAsync(ConvergenceBound, () => Shows(catalog.Bus.Snapshots, ModelsBefore, ObjectivesBefore), "the first catalog");
        output.WriteLine($"first lists after 503s: converged in {took.TotalMilliseconds:0} ms (bound {ConvergenceBound.TotalMilliseconds:0} ms)");

        Assert.Equal((HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable, 0), (duringOutage.Ready, duringOutage.Models, duringOutage.Published));
        var (ready, models, names) = await ObserveNamesAsync(catalog);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (ready, models));
        Assert.Equal(NamesBefore, names);
        Assert.Single(catalog.Bus.Snapshots);
    }

    private static async Task<CatalogReplica> StartCatalogAsync(InMemoryKubernetesApi server, params DelegatingHandler[] handlers)
    {
        var catalog = CatalogReplica.Start(server, "solo", electLeader: false, WatchSettings, handlers);
        await Eventually.AssertAsync(() => Shows(catalog.Bus.Snapshots, ModelsBefore, ObjectivesBefore), "the first catalog");
        await Eventually.AssertAsync(() => Cluster.StatusWrites(server).Count == 5, "the five objects' status");
        return catalog;
    }

    /// <summary>Fewest failed requests of this kind for models or objectives.</summary>
    private static int Failed(InMemoryKubernetesApi server, InMemoryRequestKind request) =>
        Math.Min(server.Faults.Count(request, Models), server.Faults.Count(request, Objectives));

    /// <summary>Waits (bounded) for the new catalog and the new model's status, and reports the time.</summary>
    private async Task ConvergeAsync(InMemoryKubernetesApi server, CatalogReplica catalog, string fault)
    {
        var took = await Convergence.WithinAsync(ConvergenceBound, () => Shows(catalog.Bus.Snapshots, ModelsAfter, ObjectivesAfter), "the new catalog");
        output.WriteLine($"{fault}: converged in {took.TotalMilliseconds:0} ms (bound {ConvergenceBound.TotalMilliseconds:0} ms)");
        await Convergence.WithinAsync(StatusBound, () => Cluster.Accepted(server, "code") == ("True", "Accepted"), "the new model's status");
        var (ready, models, names) = await ObserveNamesAsync(catalog);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (ready, models));
        Assert.Equal(NamesAfter, names);
    }

    /// <summary>While the API was unreachable the catalog stayed ready, published nothing, and listed what it knew.</summary>
    private static void AssertLastStateKept(Outage duringOutage, int publishedBefore)
    {
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK, publishedBefore), (duringOutage.Ready, duringOutage.Models, duringOutage.Published));
        Assert.Equal(NamesBefore, duringOutage.Names);
    }

    private static async Task<Outage> ObserveAsync(CatalogReplica catalog)
    {
        var published = catalog.Bus.Snapshots.Count;
        var (ready, models, names) = await ObserveNamesAsync(catalog);
        return new Outage(ready, models, names, published);
    }

    /// <summary><c>/readyz</c>, and <c>/v1/models</c> with the names it lists.</summary>
    private static async Task<(HttpStatusCode Ready, HttpStatusCode Models, string[] Names)> ObserveNamesAsync(CatalogReplica catalog)
    {
        using var http = catalog.Factory.CreateClient();
        using var ready = await http.GetAsync(new Uri("/readyz", UriKind.Relative));
        using var models = await http.GetAsync(new Uri("/v1/models", UriKind.Relative));
        if (models.StatusCode != HttpStatusCode.OK)
        {
            return (ready.StatusCode, models.StatusCode, []);
        }

        using var list = JsonDocument.Parse(await models.Content.ReadAsStringAsync());
        return (ready.StatusCode, models.StatusCode, [.. list.RootElement.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()!)]);
    }

    /// <summary>What the catalog showed while the API misbehaved.</summary>
    private sealed record Outage(HttpStatusCode Ready, HttpStatusCode Models, string[] Names, int Published);
}
