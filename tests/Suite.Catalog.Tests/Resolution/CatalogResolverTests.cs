using System.Collections.Immutable;
using k8s.Models;
using Suite.Catalog.Resolution;
using Suite.Contracts.Catalog;
using Suite.Kubernetes.Resources;

namespace Suite.Catalog.Tests.Resolution;

public sealed class CatalogResolverTests
{
    private static readonly DateTime Monday = new(2026, 11, 23, 9, 0, 0, DateTimeKind.Utc);

    private static readonly InferencePoolView[] Pools =
    [
        new("inference.networking.k8s.io/v1", "default", "chat-pool", ImmutableDictionary<string, string>.Empty.Add("app", "chat"), [8000], FailOpen: false),
        new("inference.networking.k8s.io/v1", "default", "batch-pool", ImmutableDictionary<string, string>.Empty.Add("app", "batch"), [8000], FailOpen: false),
    ];

    [Fact]
    public void Resolve_ValidModel_AcceptedWithItsWeightedTargetsAndCriticality()
    {
        var model = Model("sql", "sql-assistant", "chat-pool", Monday, "Critical", ("sql-lora-v1", 90), ("sql-lora-v2", 10));

        var resolution = CatalogResolver.Resolve(Pools, [model], [], []);

        Assert.Equal(AcceptedCondition.Yes, resolution.Conditions["InferenceModel default/sql"]);
        var accepted = Assert.Single(resolution.Pools["chat-pool"].Models);
        Assert.Equal("sql-assistant", accepted.Name);
        Assert.Equal(Criticality.Critical, accepted.Criticality);
        Assert.Equal([new CatalogTarget("sql-lora-v1", 90), new CatalogTarget("sql-lora-v2", 10)], accepted.Targets.ToArray());
        Assert.Empty(resolution.Pools["batch-pool"].Models);
    }

    [Fact]
    public void Resolve_TargetsWithoutWeights_AnEvenSplitAndStandardCriticality()
    {
        var model = Model("chat", "chat", "chat-pool", Monday, null, ("llama-a", null), ("llama-b", null));

        var accepted = Assert.Single(CatalogResolver.Resolve(Pools, [model], [], []).Pools["chat-pool"].Models);

        Assert.Equal(Criticality.Standard, accepted.Criticality);
        Assert.Equal([new CatalogTarget("llama-a", 1), new CatalogTarget("llama-b", 1)], accepted.Targets.ToArray());
    }

    [Fact]
    public void Resolve_SameModelNameInAPool_TheOldestWins_TheYoungerIsModelNameInUse()
    {
        var younger = Model("new-sql", "sql-assistant", "chat-pool", Monday.AddHours(1), null, ("sql-lora-v3", null));
        var older = Model("old-sql", "sql-assistant", "chat-pool", Monday, null, ("sql-lora-v1", null));

        var resolution = CatalogResolver.Resolve(Pools, [younger, older], [], []);

        Assert.Equal("sql-lora-v1", Assert.Single(resolution.Pools["chat-pool"].Models).Targets[0].Name);
        Assert.Equal(AcceptedCondition.Yes, resolution.Conditions["InferenceModel default/old-sql"]);
        Assert.Equal(
            new AcceptedCondition(false, "ModelNameInUse", "An older InferenceModel of pool chat-pool already serves the model name 'sql-assistant'."),
            resolution.Conditions["InferenceModel default/new-sql"]);
    }

    [Fact]
    public void Resolve_SameModelNameSameCreationTime_TheFirstByNamespaceAndNameWins()
    {
        var b = Model("b", "sql-assistant", "chat-pool", Monday, null, ("from-b", null));
        var a = Model("a", "sql-assistant", "chat-pool", Monday, null, ("from-a", null));

        var resolution = CatalogResolver.Resolve(Pools, [b, a], [], []);

        Assert.Equal("from-a", Assert.Single(resolution.Pools["chat-pool"].Models).Targets[0].Name);
        Assert.False(resolution.Conditions["InferenceModel default/b"].Accepted);
    }

    [Fact]
    public void Resolve_SameModelNameInTwoPools_BothAccepted()
    {
        var chat = Model("chat-sql", "sql-assistant", "chat-pool", Monday, null, ("chat-target", null));
        var batch = Model("batch-sql", "sql-assistant", "batch-pool", Monday.AddDays(1), null, ("batch-target", null));

        var resolution = CatalogResolver.Resolve(Pools, [chat, batch], [], []);

        Assert.True(resolution.Conditions["InferenceModel default/chat-sql"].Accepted);
        Assert.True(resolution.Conditions["InferenceModel default/batch-sql"].Accepted);
        Assert.Equal("batch-target", Assert.Single(resolution.Pools["batch-pool"].Models).Targets[0].Name);
    }

    [Fact]
    public void Resolve_UnknownPool_PoolNotFound_OthersUnaffected()
    {
        var lost = Model("lost", "lost-model", "no-such-pool", Monday, null);
        var fine = Model("fine", "fine-model", "chat-pool", Monday, null);

        var resolution = CatalogResolver.Resolve(Pools, [lost, fine], [], []);

        Assert.Equal(
            new AcceptedCondition(false, "PoolNotFound", "spec.poolRef names InferencePool default/no-such-pool, which does not exist."),
            resolution.Conditions["InferenceModel default/lost"]);
        Assert.Equal("fine-model", Assert.Single(resolution.Pools["chat-pool"].Models).Name);
    }

    [Fact]
    public void Resolve_WeightsOnSomeTargetsOnly_Invalid_OthersUnaffected()
    {
        var bad = Model("bad", "bad-model", "chat-pool", Monday, null, ("a", 5), ("b", null));
        var fine = Model("fine", "fine-model", "chat-pool", Monday, null);

        var resolution = CatalogResolver.Resolve(Pools, [bad, fine], [], []);

        var condition = resolution.Conditions["InferenceModel default/bad"];
        Assert.False(condition.Accepted);
        Assert.Equal("Invalid", condition.Reason);
        Assert.StartsWith("InferenceModel default/bad: spec.targetModels", condition.Message, StringComparison.Ordinal);
        Assert.Equal("fine-model", Assert.Single(resolution.Pools["chat-pool"].Models).Name);
    }

    [Fact]
    public void Resolve_Objectives_PerPoolWithTheirPriorities_UnsetIsZero()
    {
        var interactive = Objective("interactive", "chat-pool", 10);
        var batch = Objective("batch", "chat-pool", -5);
        var plain = Objective("plain", "chat-pool", null);
        var lost = Objective("lost", "no-such-pool", 1);

        var resolution = CatalogResolver.Resolve(Pools, [], [interactive, batch, plain, lost], []);

        Assert.Equal(
            [new CatalogObjective("batch", -5), new CatalogObjective("interactive", 10), new CatalogObjective("plain", 0)],
            resolution.Pools["chat-pool"].Objectives.ToArray());
        Assert.Equal("PoolNotFound", resolution.Conditions["InferenceObjective default/lost"].Reason);
    }

    [Fact]
    public void Resolve_Rewrites_ExactBeforeCatchAll_OldestObjectWins_FirstRuleWins()
    {
        var older = Rewrite("older", "chat-pool", Monday,
            Rule(["gpt-4o"], ("llama-70b", 80), ("llama-8b", 20)),
            Rule(["gpt-4o", "gpt-4o-mini"], ("llama-8b", null)),
            Rule([], ("llama-8b", null)));
        var younger = Rewrite("younger", "chat-pool", Monday.AddMinutes(5),
            Rule(["gpt-4o", "o1"], ("qwen-72b", null)),
            Rule([], ("qwen-7b", null)));

        var resolution = CatalogResolver.Resolve(Pools, [], [], [younger, older]);

        Assert.Equal(
            ["gpt-4o → llama-70b:80 llama-8b:20", "gpt-4o-mini → llama-8b:1", "o1 → qwen-72b:1", "* → llama-8b:1"],
            Described(resolution.Pools["chat-pool"].Rewrites));
        Assert.Equal(
            "The resource is part of its pool's catalog. Overridden: rule 1 for 'gpt-4o' by an earlier rule.",
            resolution.Conditions["InferenceModelRewrite default/older"].Message);
        Assert.Equal(
            new AcceptedCondition(true, "Accepted",
                "The resource is part of its pool's catalog. Overridden: rule 0 for 'gpt-4o' by InferenceModelRewrite default/older; rule 1 (catch-all) by InferenceModelRewrite default/older."),
            resolution.Conditions["InferenceModelRewrite default/younger"]);
    }

    [Fact]
    public void Resolve_RewriteOfANameAnInferenceModelServes_LeftOutAndSaidSo()
    {
        var model = Model("sql", "sql-assistant", "chat-pool", Monday.AddHours(1), null, ("sql-lora-v1", null));
        var rewrite = Rewrite("alias", "chat-pool", Monday, Rule(["sql-assistant", "sql"], ("sql-lora-v2", null)));

        var resolution = CatalogResolver.Resolve(Pools, [model], [], [rewrite]);

        Assert.Equal(["sql → sql-lora-v2:1"], Described(resolution.Pools["chat-pool"].Rewrites));
        Assert.Equal(
            "The resource is part of its pool's catalog. Overridden: rule 0 for 'sql-assistant' by the InferenceModel that serves it.",
            resolution.Conditions["InferenceModelRewrite default/alias"].Message);
    }

    [Fact]
    public void Resolve_InvalidOrPoollessRewrite_RejectedWithoutAffectingTheOthers()
    {
        var noTargets = Rewrite("no-targets", "chat-pool", Monday, Rule(["a"]));
        var lost = Rewrite("lost", "no-such-pool", Monday, Rule(["b"], ("x", null)));
        var fine = Rewrite("fine", "batch-pool", Monday, Rule([], ("batch-model", null)));

        var resolution = CatalogResolver.Resolve(Pools, [], [], [noTargets, lost, fine]);

        Assert.Equal(
            new AcceptedCondition(false, "Invalid", "InferenceModelRewrite default/no-targets: spec.rules[0].targets is empty; a rule needs at least one target"),
            resolution.Conditions["InferenceModelRewrite default/no-targets"]);
        Assert.Equal("PoolNotFound", resolution.Conditions["InferenceModelRewrite default/lost"].Reason);
        Assert.Empty(resolution.Pools["chat-pool"].Rewrites);
        Assert.Equal(["* → batch-model:1"], Described(resolution.Pools["batch-pool"].Rewrites));
    }

    /// <summary>Records holding an ImmutableArray compare it by reference, so rewrites are compared as text.</summary>
    private static string[] Described(ImmutableArray<CatalogRewrite> rewrites) =>
        [.. rewrites.Select(r => $"{r.Model ?? "*"} → {string.Join(" ", r.Targets.Select(t => $"{t.Name}:{t.Weight}"))}")];

    private static InferenceModel Model(string name, string modelName, string pool, DateTime created, string? criticality, params (string Name, int? Weight)[] targets) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", CreationTimestamp = created },
        Spec = new InferenceModelSpec
        {
            ModelName = modelName,
            Criticality = criticality,
            PoolRef = new InferencePoolReference { Name = pool },
            TargetModels = targets.Length == 0 ? null : [.. targets.Select(t => new TargetModel { Name = t.Name, Weight = t.Weight })],
        },
    };

    private static InferenceObjective Objective(string name, string pool, int? priority) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", CreationTimestamp = Monday },
        Spec = new InferenceObjectiveSpec { Priority = priority, PoolRef = new InferencePoolReference { Name = pool } },
    };

    private static ModelRewriteRule Rule(string[] models, params (string Name, int? Weight)[] targets) => new()
    {
        Matches = models.Length == 0 ? null : [.. models.Select(m => new ModelRewriteMatch { Model = new ModelNameMatch { Value = m } })],
        Targets = [.. targets.Select(t => new ModelRewriteTarget { ModelRewrite = t.Name, Weight = t.Weight })],
    };

    private static InferenceModelRewrite Rewrite(string name, string pool, DateTime created, params ModelRewriteRule[] rules) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", CreationTimestamp = created },
        Spec = new InferenceModelRewriteSpec { PoolRef = new InferencePoolReference { Name = pool }, Rules = rules },
    };
}
