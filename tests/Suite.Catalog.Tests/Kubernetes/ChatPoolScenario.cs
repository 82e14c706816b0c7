using Suite.Contracts.Catalog;
using Suite.Kubernetes.Tests.Fakes;

namespace Suite.Catalog.Tests.Kubernetes;

/// <summary>
/// The catalog of <c>chat-pool</c> before and after a change made while the API server misbehaves: a model added,
/// one deleted, one changed (criticality and target), and an objective's priority changed.
/// </summary>
internal static class ChatPoolScenario
{
    public const string Pool = "chat-pool";

    /// <summary>The model that is neither added, deleted nor changed: every catalog on the way has it.</summary>
    public const string StayingModel = "chat Standard [chat-v1:1]";

    public static readonly string[] ModelsBefore = [StayingModel, "sql-assistant Standard [sql-assistant-v1:1]", "summarize Standard [summarize-v1:1]"];

    public static readonly string[] ModelsAfter = [StayingModel, "code Standard [code-v1:1]", "sql-assistant Critical [sql-assistant-v2:1]"];

    public static readonly string[] ObjectivesBefore = ["batch -1", "interactive 10"];

    public static readonly string[] ObjectivesAfter = ["batch 5", "interactive 10"];

    /// <summary>What <c>GET /v1/models</c> lists before and after.</summary>
    public static readonly string[] NamesBefore = ["chat", "sql-assistant", "summarize"];

    public static readonly string[] NamesAfter = ["chat", "code", "sql-assistant"];

    public static async Task<InMemoryKubernetesApi> StartClusterAsync()
    {
        var server = await Cluster.StartAsync();
        Cluster.PutModel(server, "chat", "chat", Pool, "2026-11-01T09:00:00Z");
        Cluster.PutModel(server, "sql", "sql-assistant", Pool, "2026-11-01T09:00:00Z");
        Cluster.PutModel(server, "summarize", "summarize", Pool, "2026-11-01T09:00:00Z");
        Cluster.PutObjective(server, "batch", Pool, -1);
        Cluster.PutObjective(server, "interactive", Pool, 10);
        return server;
    }

    /// <summary>Three model changes, then one objective change.</summary>
    public static void ChangeTheCluster(InMemoryKubernetesApi server)
    {
        Cluster.PutModel(server, "code", "code", Pool, "2026-11-02T09:00:00Z");
        Assert.True(Cluster.DeleteModel(server, "summarize"));
        Cluster.PutModel(server, "sql", "sql-assistant", Pool, "2026-11-01T09:00:00Z", target: "sql-assistant-v2", criticality: "Critical");
        Cluster.PutObjective(server, "batch", Pool, 5);
    }

    public static string[] Models(CatalogSnapshot snapshot) =>
        [.. snapshot.Models.Select(m => $"{m.Name} {m.Criticality} [{string.Join(", ", m.Targets.Select(t => $"{t.Name}:{t.Weight}"))}]")];

    public static string[] Objectives(CatalogSnapshot snapshot) => [.. snapshot.Objectives.Select(o => $"{o.Name} {o.Priority}")];

    /// <summary>The latest catalog published shows these models and objectives.</summary>
    public static bool Shows(IReadOnlyList<CatalogSnapshot> published, string[] models, string[] objectives) =>
        published.Count > 0 && Models(published[^1]).SequenceEqual(models) && Objectives(published[^1]).SequenceEqual(objectives);

    /// <summary>
    /// Every catalog is of the pool, versions rise, and each could be the cluster's on the way: models and objectives
    /// only from before or after, the staying model always there, one <c>batch</c> objective, never an empty catalog.
    /// </summary>
    public static void AssertNothingWrongPublished(IReadOnlyList<CatalogSnapshot> published)
    {
        Assert.All(published, s => Assert.Equal(Pool, s.PoolName));
        Assert.All(published.Zip(published.Skip(1)), pair => Assert.True(pair.Second.Version > pair.First.Version, $"version {pair.Second.Version} after {pair.First.Version}"));
        var models = ModelsBefore.Union(ModelsAfter).ToHashSet(StringComparer.Ordinal);
        var objectives = ObjectivesBefore.Union(ObjectivesAfter).ToHashSet(StringComparer.Ordinal);
        Assert.All(published, s =>
        {
            Assert.Contains(StayingModel, Models(s));
            Assert.Subset(models, Models(s).ToHashSet(StringComparer.Ordinal));
            Assert.Subset(objectives, Objectives(s).ToHashSet(StringComparer.Ordinal));
            Assert.Equal(["interactive 10"], Objectives(s).Where(o => !o.StartsWith("batch ", StringComparison.Ordinal)));
            Assert.Single(Objectives(s), o => o.StartsWith("batch ", StringComparison.Ordinal));
        });
    }
}
