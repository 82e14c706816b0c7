using Suite.Kubernetes.Resources;

namespace Suite.Kubernetes.Tests.Resources;

public sealed class InferenceCatalogValidationTests
{
    private const string ModelSubject = "InferenceModel team-a/chat";
    private const string ObjectiveSubject = "InferenceObjective team-a/batch";
    private const string RewriteSubject = "InferenceModelRewrite team-a/canary";

    private static InferenceModel Model(params TargetModel[] targets) => new()
    {
        Metadata = new() { Name = "chat", NamespaceProperty = "team-a" },
        Spec = new() { ModelName = "llama-3", TargetModels = targets, PoolRef = new() { Name = "chat-pool" } },
    };

    private static TargetModel Target(string name, int? weight = null) => new() { Name = name, Weight = weight };

    private static InferenceObjective Objective(int? priority) => new()
    {
        Metadata = new() { Name = "batch", NamespaceProperty = "team-a" },
        Spec = new() { Priority = priority, PoolRef = new() { Name = "chat-pool" } },
    };

    private static InferenceModelRewrite Rewrite(params ModelRewriteRule[] rules) => new()
    {
        Metadata = new() { Name = "canary", NamespaceProperty = "team-a" },
        Spec = new() { PoolRef = new() { Name = "chat-pool" }, Rules = rules },
    };

    private static ModelRewriteRule Rule(string? matchType, params ModelRewriteTarget[] targets) => new()
    {
        Matches = matchType is null ? null : [new() { Model = new() { Type = matchType, Value = "gpt-small" } }],
        Targets = targets,
    };

    private static ModelRewriteTarget RewriteTo(string? model, int? weight = null) => new() { ModelRewrite = model, Weight = weight };

    private static string[] Problems(InferenceModel model) => [.. model.Validate()];

    private static string[] Problems(InferenceObjective objective) => [.. objective.Validate()];

    private static string[] Problems(InferenceModelRewrite rewrite) => [.. rewrite.Validate()];

    [Fact]
    public void ValidateModel_ValidModel_NoMessages()
    {
        Assert.Empty(Problems(Model()));
        Assert.Empty(Problems(Model(Target("a", 1), Target("b", 1_000_000))));
        Assert.Empty(Problems(Model(Target("a"), Target("b"))));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Critical")]
    [InlineData("Standard")]
    [InlineData("Sheddable")]
    public void ValidateModel_KnownCriticality_NoMessages(string? criticality)
    {
        var model = Model();
        model.Spec!.Criticality = criticality;

        Assert.Empty(Problems(model));
    }

    [Fact]
    public void ValidateModel_UnknownCriticality_ListsTheThreeValues()
    {
        var model = Model();
        model.Spec!.Criticality = "critical";

        Assert.Equal([$"{ModelSubject}: spec.criticality is 'critical'; it must be Critical, Standard or Sheddable"], Problems(model));
    }

    [Fact]
    public void ValidateModel_NoName_MetadataNameRequired()
    {
        var model = Model();
        model.Metadata.Name = null;

        Assert.Equal(["InferenceModel team-a/: metadata.name is required"], Problems(model));
    }

    [Fact]
    public void ValidateModel_NoSpec_SpecRequired()
    {
        var model = Model();
        model.Spec = null;

        Assert.Equal([$"{ModelSubject}: spec is required"], Problems(model));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void ValidateModel_NoModelName_ModelNameRequired(string? modelName)
    {
        var model = Model();
        model.Spec!.ModelName = modelName;

        Assert.Equal([$"{ModelSubject}: spec.modelName is required"], Problems(model));
    }

    [Fact]
    public void ValidateModel_ModelNameOf256_Valid()
    {
        var model = Model();
        model.Spec!.ModelName = new string('m', 256);

        Assert.Empty(Problems(model));
    }

    [Fact]
    public void ValidateModel_ModelNameOf257_TooLong()
    {
        var model = Model();
        model.Spec!.ModelName = new string('m', 257);

        Assert.Equal([$"{ModelSubject}: spec.modelName has 257 characters; at most 256 are allowed"], Problems(model));
    }

    [Fact]
    public void ValidateModel_NoPoolRef_PoolRefRequired()
    {
        var model = Model();
        model.Spec!.PoolRef = null;

        Assert.Equal([$"{ModelSubject}: spec.poolRef is required"], Problems(model));
    }

    [Fact]
    public void ValidateModel_PoolRefWithoutName_NameRequired()
    {
        var model = Model();
        model.Spec!.PoolRef = new() { Group = "inference.networking.x-k8s.io", Kind = "InferencePool" };

        Assert.Equal([$"{ModelSubject}: spec.poolRef.name is required"], Problems(model));
    }

    [Fact]
    public void ValidateModel_TargetWithoutName_NameRequired()
    {
        Assert.Equal([$"{ModelSubject}: spec.targetModels[1].name is required"], Problems(Model(Target("a"), Target(""))));
    }

    [Fact]
    public void ValidateModel_TargetNameOf253_Valid()
    {
        Assert.Empty(Problems(Model(Target(new string('t', 253)))));
    }

    [Fact]
    public void ValidateModel_TargetNameOf254_TooLong()
    {
        Assert.Equal(
            [$"{ModelSubject}: spec.targetModels[0].name has 254 characters; at most 253 are allowed"],
            Problems(Model(Target(new string('t', 254)))));
    }

    [Fact]
    public void ValidateModel_TenTargets_Valid()
    {
        Assert.Empty(Problems(Model([.. Enumerable.Range(0, 10).Select(i => Target($"t{i}"))])));
    }

    [Fact]
    public void ValidateModel_ElevenTargets_TooMany()
    {
        Assert.Equal(
            [$"{ModelSubject}: spec.targetModels has 11 targets; at most 10 are allowed"],
            Problems(Model([.. Enumerable.Range(0, 11).Select(i => Target($"t{i}"))])));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(1_000_001)]
    public void ValidateModel_WeightOutOfRange_NamesTheTarget(int weight)
    {
        Assert.Equal(
            [$"{ModelSubject}: spec.targetModels[2].weight is {weight}; a weight must be between 1 and 1000000"],
            Problems(Model(Target("a", 5), Target("b", 5), Target("c", weight))));
    }

    [Fact]
    public void ValidateModel_WeightsOnSomeTargets_AllOrNone()
    {
        Assert.Equal(
            [$"{ModelSubject}: spec.targetModels sets weight on 2 of 3 targets; set it on all or on none"],
            Problems(Model(Target("a", 5), Target("b"), Target("c", 5))));
    }

    [Fact]
    public void ValidateModel_DuplicateTargetNames_RepeatNamed()
    {
        Assert.Equal(
            [$"{ModelSubject}: spec.targetModels[2].name repeats 'a'; targets must be unique"],
            Problems(Model(Target("a"), Target("b"), Target("a"))));
    }

    [Fact]
    public void ValidateModel_SeveralProblems_AllReportedInFieldOrder()
    {
        var model = Model(Target("a", 0), Target("a"));
        model.Spec!.ModelName = null;
        model.Spec.Criticality = "High";
        model.Spec.PoolRef = null;

        Assert.Equal(
            [
                $"{ModelSubject}: spec.modelName is required",
                $"{ModelSubject}: spec.criticality is 'High'; it must be Critical, Standard or Sheddable",
                $"{ModelSubject}: spec.targetModels[1].name repeats 'a'; targets must be unique",
                $"{ModelSubject}: spec.targetModels[0].weight is 0; a weight must be between 1 and 1000000",
                $"{ModelSubject}: spec.targetModels sets weight on 1 of 2 targets; set it on all or on none",
                $"{ModelSubject}: spec.poolRef is required",
            ],
            Problems(model));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(0)]
    [InlineData(-10)]
    [InlineData(int.MaxValue)]
    public void ValidateObjective_AnyPriority_NoMessages(int? priority)
    {
        Assert.Empty(Problems(Objective(priority)));
    }

    [Fact]
    public void ValidateObjective_NoSpec_SpecRequired()
    {
        var objective = Objective(1);
        objective.Spec = null;

        Assert.Equal([$"{ObjectiveSubject}: spec is required"], Problems(objective));
    }

    [Fact]
    public void ValidateObjective_NoPoolRef_PoolRefRequired()
    {
        var objective = Objective(1);
        objective.Spec!.PoolRef = null;

        Assert.Equal([$"{ObjectiveSubject}: spec.poolRef is required"], Problems(objective));
    }

    [Fact]
    public void ValidateObjective_PoolRefWithoutName_NameRequired()
    {
        var objective = Objective(1);
        objective.Spec!.PoolRef = new();

        Assert.Equal([$"{ObjectiveSubject}: spec.poolRef.name is required"], Problems(objective));
    }

    [Fact]
    public void ValidateObjective_NoName_MetadataNameRequired()
    {
        var objective = Objective(1);
        objective.Metadata.Name = "";

        Assert.Equal(["InferenceObjective team-a/: metadata.name is required"], Problems(objective));
    }

    [Fact]
    public void ValidateRewrite_ValidRewrite_NoMessages()
    {
        var rewrite = Rewrite(
            Rule("Exact", RewriteTo("qwen-7b", 75), RewriteTo("qwen-7b-canary", 25)),
            Rule(null, RewriteTo("qwen-1.5b")));

        Assert.Empty(Problems(rewrite));
    }

    [Fact]
    public void ValidateRewrite_MatchTypeUnset_TreatedAsExact()
    {
        Assert.Empty(Problems(Rewrite(new ModelRewriteRule { Matches = [new() { Model = new() { Value = "chat" } }], Targets = [RewriteTo("llama")] })));
    }

    [Fact]
    public void ValidateRewrite_NoSpec_SpecRequired()
    {
        var rewrite = Rewrite();
        rewrite.Spec = null;

        Assert.Equal([$"{RewriteSubject}: spec is required"], Problems(rewrite));
    }

    [Fact]
    public void ValidateRewrite_NoRules_WouldChangeNoRequest()
    {
        Assert.Equal([$"{RewriteSubject}: spec.rules is empty, so the rewrite would change no request"], Problems(Rewrite()));
    }

    [Fact]
    public void ValidateRewrite_NoPoolRef_PoolRefRequired()
    {
        var rewrite = Rewrite(Rule(null, RewriteTo("llama")));
        rewrite.Spec!.PoolRef = null;

        Assert.Equal([$"{RewriteSubject}: spec.poolRef is required"], Problems(rewrite));
    }

    [Fact]
    public void ValidateRewrite_RuleWithoutTargets_NeedsOne()
    {
        Assert.Equal(
            [$"{RewriteSubject}: spec.rules[1].targets is empty; a rule needs at least one target"],
            Problems(Rewrite(Rule(null, RewriteTo("llama")), Rule("Exact"))));
    }

    [Fact]
    public void ValidateRewrite_RuleWithNullTargets_NeedsOne()
    {
        Assert.Equal(
            [$"{RewriteSubject}: spec.rules[0].targets is empty; a rule needs at least one target"],
            Problems(Rewrite(new ModelRewriteRule())));
    }

    [Theory]
    [InlineData("Prefix")]
    [InlineData("exact")]
    [InlineData("RegularExpression")]
    public void ValidateRewrite_MatchTypeNotExact_OnlyExactSupported(string type)
    {
        Assert.Equal(
            [$"{RewriteSubject}: spec.rules[0].matches[0].model.type is '{type}'; only Exact is supported"],
            Problems(Rewrite(Rule(type, RewriteTo("llama")))));
    }

    [Fact]
    public void ValidateRewrite_MatchWithoutModel_ModelRequired()
    {
        Assert.Equal(
            [$"{RewriteSubject}: spec.rules[0].matches[0].model is required"],
            Problems(Rewrite(new ModelRewriteRule { Matches = [new()], Targets = [RewriteTo("llama")] })));
    }

    [Fact]
    public void ValidateRewrite_MatchWithoutValue_ValueRequired()
    {
        Assert.Equal(
            [$"{RewriteSubject}: spec.rules[0].matches[0].model.value is required"],
            Problems(Rewrite(new ModelRewriteRule { Matches = [new() { Model = new() { Type = "Exact" } }], Targets = [RewriteTo("llama")] })));
    }

    [Fact]
    public void ValidateRewrite_TargetWithoutModelRewrite_Required()
    {
        Assert.Equal(
            [$"{RewriteSubject}: spec.rules[0].targets[1].modelRewrite is required"],
            Problems(Rewrite(Rule("Exact", RewriteTo("llama"), RewriteTo(null)))));
    }

    [Fact]
    public void ValidateRewrite_DuplicateTargets_RepeatNamed()
    {
        Assert.Equal(
            [$"{RewriteSubject}: spec.rules[0].targets[1].modelRewrite repeats 'llama'; targets must be unique"],
            Problems(Rewrite(Rule("Exact", RewriteTo("llama"), RewriteTo("llama")))));
    }

    [Fact]
    public void ValidateRewrite_WeightOutOfRange_NamesTheTarget()
    {
        Assert.Equal(
            [$"{RewriteSubject}: spec.rules[1].targets[0].weight is 0; a weight must be between 1 and 1000000"],
            Problems(Rewrite(Rule("Exact", RewriteTo("a")), Rule(null, RewriteTo("b", 0), RewriteTo("c", 3)))));
    }

    [Fact]
    public void ValidateRewrite_WeightsOnSomeTargets_AllOrNone()
    {
        Assert.Equal(
            [$"{RewriteSubject}: spec.rules[0].targets sets weight on 1 of 2 targets; set it on all or on none"],
            Problems(Rewrite(Rule("Exact", RewriteTo("a", 5), RewriteTo("b")))));
    }
}
