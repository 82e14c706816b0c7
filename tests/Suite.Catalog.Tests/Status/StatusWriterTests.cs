using System.Collections.Immutable;
using System.Text.Json.Nodes;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Suite.Catalog.Resolution;
using Suite.Catalog.Sources;
using Suite.Catalog.Status;
using Suite.Kubernetes.Resources;

namespace Suite.Catalog.Tests.Status;

public sealed class StatusWriterTests
{
    private static readonly DateTime Earlier = new(2026, 11, 20, 8, 0, 0, DateTimeKind.Utc);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
    private readonly RecordingStatusApi _api = new();
    private readonly StatusWriter _writer;

    public StatusWriterTests() => _writer = new StatusWriter(_api, _time, NullLogger<StatusWriter>.Instance);

    [Fact]
    public async Task NoConditionYet_AcceptedWrittenWithGenerationAndTransitionTime()
    {
        var model = Model("sql", generation: 3);

        var failed = await _writer.WriteAsync(Resources(model), Resolution(("InferenceModel default/sql", AcceptedCondition.Yes)), CancellationToken.None);

        Assert.Equal(0, failed);
        var (target, patch) = Assert.Single(_api.Patches);
        Assert.Equal(new StatusTarget("inference.networking.x-k8s.io", "v1alpha2", "inferencemodels", "default", "sql"), target);
        Assert.Equal(
            """{"status":{"conditions":[{"type":"Accepted","status":"True","reason":"Accepted","message":"The resource is part of its pool\u0027s catalog.","observedGeneration":3,"lastTransitionTime":"2026-11-23T09:00:00Z"}]}}""",
            patch);
    }

    [Fact]
    public async Task ObjectAlreadyShowsTheCondition_NothingWritten()
    {
        var model = Model("sql", generation: 3, Condition("True", "Accepted", AcceptedCondition.Yes.Message, 3));

        await _writer.WriteAsync(Resources(model), Resolution(("InferenceModel default/sql", AcceptedCondition.Yes)), CancellationToken.None);

        Assert.Empty(_api.Patches);
    }

    [Fact]
    public async Task SameStatusNewGeneration_TransitionTimeKept_OtherConditionsKept()
    {
        var other = new V1Condition { Type = "ResolvedRefs", Status = "True", Reason = "ResolvedRefs", Message = "ok", LastTransitionTime = Earlier };
        var model = Model("sql", generation: 4, other, Condition("True", "Accepted", AcceptedCondition.Yes.Message, 3));

        await _writer.WriteAsync(Resources(model), Resolution(("InferenceModel default/sql", AcceptedCondition.Yes)), CancellationToken.None);

        var conditions = JsonNode.Parse(Assert.Single(_api.Patches).Patch)!["status"]!["conditions"]!.AsArray();
        Assert.Equal(["ResolvedRefs", "Accepted"], conditions.Select(c => (string)c!["type"]!));
        Assert.Equal("2026-11-20T08:00:00Z", (string)conditions[1]!["lastTransitionTime"]!);
        Assert.Equal(4, (long)conditions[1]!["observedGeneration"]!);
    }

    [Fact]
    public async Task Rejected_FalseWithReasonAndMessage_NewTransitionTime()
    {
        var rewrite = new InferenceModelRewrite
        {
            Metadata = new V1ObjectMeta { Name = "aliases", NamespaceProperty = "team-a", Generation = 1 },
            Status = new InferenceCatalogStatus { Conditions = [Condition("True", "Accepted", AcceptedCondition.Yes.Message, 1)] },
        };
        var lost = new AcceptedCondition(false, "PoolNotFound", "spec.poolRef names InferencePool team-a/gone, which does not exist.");

        await _writer.WriteAsync(new CatalogResources([], [], [], [rewrite]), Resolution(("InferenceModelRewrite team-a/aliases", lost)), CancellationToken.None);

        var (target, patch) = Assert.Single(_api.Patches);
        Assert.Equal(new StatusTarget("inference.networking.x-k8s.io", "v1alpha2", "inferencemodelrewrites", "team-a", "aliases"), target);
        Assert.Equal(
            """{"status":{"conditions":[{"type":"Accepted","status":"False","reason":"PoolNotFound","message":"spec.poolRef names InferencePool team-a/gone, which does not exist.","observedGeneration":1,"lastTransitionTime":"2026-11-23T09:00:00Z"}]}}""",
            patch);
    }

    [Fact]
    public async Task WrittenButNotYetSeen_NotWrittenTwice_UntilReset()
    {
        var model = Model("sql", generation: 1);
        var resolution = Resolution(("InferenceModel default/sql", AcceptedCondition.Yes));

        await _writer.WriteAsync(Resources(model), resolution, CancellationToken.None);
        await _writer.WriteAsync(Resources(model), resolution, CancellationToken.None);
        _writer.Reset();
        await _writer.WriteAsync(Resources(model), resolution, CancellationToken.None);

        Assert.Equal(2, _api.Patches.Count);
    }

    [Fact]
    public async Task WrittenButTheObjectComesBackAtAnotherVersionWithoutIt_WrittenAgain()
    {
        var resolution = Resolution(("InferenceModel default/sql", AcceptedCondition.Yes));

        // Recreated (or its status replaced) while the watch was away: a new version that never carried the write.
        await _writer.WriteAsync(Resources(Model("sql", generation: 1, resourceVersion: "5")), resolution, CancellationToken.None);
        await _writer.WriteAsync(Resources(Model("sql", generation: 1, resourceVersion: "5")), resolution, CancellationToken.None);
        await _writer.WriteAsync(Resources(Model("sql", generation: 1, resourceVersion: "9")), resolution, CancellationToken.None);

        Assert.Equal(2, _api.Patches.Count);
    }

    [Fact]
    public async Task FailedWrite_CountedAndTriedAgain()
    {
        var model = Model("sql", generation: 1);
        var resolution = Resolution(("InferenceModel default/sql", AcceptedCondition.Yes));
        _api.Failing = true;

        var failed = await _writer.WriteAsync(Resources(model), resolution, CancellationToken.None);
        _api.Failing = false;
        var retried = await _writer.WriteAsync(Resources(model), resolution, CancellationToken.None);

        Assert.Equal((1, 0), (failed, retried));
        Assert.Single(_api.Patches);
    }

    private static InferenceModel Model(string name, long generation, params V1Condition[] conditions) => Model(name, generation, null, conditions);

    private static InferenceModel Model(string name, long generation, string? resourceVersion, params V1Condition[] conditions) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", Generation = generation, ResourceVersion = resourceVersion },
        Status = conditions.Length == 0 ? null : new InferenceCatalogStatus { Conditions = conditions },
    };

    private static V1Condition Condition(string status, string reason, string message, long generation) => new()
    {
        Type = "Accepted", Status = status, Reason = reason, Message = message, ObservedGeneration = generation, LastTransitionTime = Earlier,
    };

    private static CatalogResources Resources(params InferenceModel[] models) => new([], [.. models], [], []);

    private static CatalogResolution Resolution(params (string Key, AcceptedCondition Condition)[] conditions) =>
        new(ImmutableDictionary<string, PoolCatalog>.Empty, conditions.ToImmutableDictionary(c => c.Key, c => c.Condition));

    private sealed class RecordingStatusApi : IStatusApi
    {
        public List<(StatusTarget Target, string Patch)> Patches { get; } = [];

        public bool Failing { get; set; }

        public Task PatchStatusAsync(StatusTarget target, JsonObject patch, CancellationToken cancellationToken)
        {
            if (Failing)
            {
                throw new HttpRequestException("connection refused");
            }

            Patches.Add((target, patch.ToJsonString()));
            return Task.CompletedTask;
        }
    }
}
