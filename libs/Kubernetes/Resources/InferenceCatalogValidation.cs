using System.Collections.Immutable;

namespace Suite.Kubernetes.Resources;

/// <summary>
/// The catalog CRDs' rules (InferenceModel, InferenceObjective, InferenceModelRewrite), checked again
/// because a static file never met the API server. Problems come back as messages naming the object and the field.
/// </summary>
public static class InferenceCatalogValidation
{
    public const int MaxModelNameLength = 256;
    public const int MaxTargetNameLength = 253;
    public const int MaxTargetModels = 10;
    public const int MinWeight = 1;
    public const int MaxWeight = 1_000_000;

    /// <summary>Every rule the model breaks; empty when it is valid.</summary>
    public static ImmutableArray<string> Validate(this InferenceModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var problems = ImmutableArray.CreateBuilder<string>();
        var subject = Subject(InferenceModel.KubeKind, model.Metadata?.NamespaceProperty, model.Metadata?.Name);
        ValidateName(problems, subject, model.Metadata?.Name);
        var spec = model.Spec;
        if (spec is null)
        {
            problems.Add($"{subject}: spec is required");
            return problems.ToImmutable();
        }

        if (string.IsNullOrEmpty(spec.ModelName))
        {
            problems.Add($"{subject}: spec.modelName is required");
        }
        else if (spec.ModelName.Length > MaxModelNameLength)
        {
            problems.Add($"{subject}: spec.modelName has {spec.ModelName.Length} characters; at most {MaxModelNameLength} are allowed");
        }

        if (spec.Criticality is not (null or InferenceModelCriticality.Critical or InferenceModelCriticality.Standard or InferenceModelCriticality.Sheddable))
        {
            problems.Add($"{subject}: spec.criticality is '{spec.Criticality}'; it must be Critical, Standard or Sheddable");
        }

        var targets = spec.TargetModels ?? [];
        if (targets.Count > MaxTargetModels)
        {
            problems.Add($"{subject}: spec.targetModels has {targets.Count} targets; at most {MaxTargetModels} are allowed");
        }

        var names = new List<string?>(targets.Count);
        var weights = new List<int?>(targets.Count);
        for (var i = 0; i < targets.Count; i++)
        {
            var field = $"spec.targetModels[{i}].name";
            var name = targets[i].Name;
            if (string.IsNullOrEmpty(name))
            {
                problems.Add($"{subject}: {field} is required");
            }
            else if (name.Length > MaxTargetNameLength)
            {
                problems.Add($"{subject}: {field} has {name.Length} characters; at most {MaxTargetNameLength} are allowed");
            }

            names.Add(name);
            weights.Add(targets[i].Weight);
        }

        ValidateUnique(problems, subject, "spec.targetModels", "name", names);
        ValidateWeights(problems, subject, "spec.targetModels", weights);
        ValidatePoolRef(problems, subject, spec.PoolRef);
        return problems.ToImmutable();
    }

    /// <summary>Every rule the objective breaks; empty when it is valid. Any priority is allowed.</summary>
    public static ImmutableArray<string> Validate(this InferenceObjective objective)
    {
        ArgumentNullException.ThrowIfNull(objective);
        var problems = ImmutableArray.CreateBuilder<string>();
        var subject = Subject(InferenceObjective.KubeKind, objective.Metadata?.NamespaceProperty, objective.Metadata?.Name);
        ValidateName(problems, subject, objective.Metadata?.Name);
        if (objective.Spec is null)
        {
            problems.Add($"{subject}: spec is required");
        }
        else
        {
            ValidatePoolRef(problems, subject, objective.Spec.PoolRef);
        }

        return problems.ToImmutable();
    }

    /// <summary>Every rule the rewrite breaks; empty when it is valid.</summary>
    public static ImmutableArray<string> Validate(this InferenceModelRewrite rewrite)
    {
        ArgumentNullException.ThrowIfNull(rewrite);
        var problems = ImmutableArray.CreateBuilder<string>();
        var subject = Subject(InferenceModelRewrite.KubeKind, rewrite.Metadata?.NamespaceProperty, rewrite.Metadata?.Name);
        ValidateName(problems, subject, rewrite.Metadata?.Name);
        var spec = rewrite.Spec;
        if (spec is null)
        {
            problems.Add($"{subject}: spec is required");
            return problems.ToImmutable();
        }

        ValidatePoolRef(problems, subject, spec.PoolRef);
        var rules = spec.Rules ?? [];
        if (rules.Count == 0)
        {
            problems.Add($"{subject}: spec.rules is empty, so the rewrite would change no request");
        }

        for (var r = 0; r < rules.Count; r++)
        {
            var ruleField = $"spec.rules[{r}]";
            var matches = rules[r].Matches ?? [];
            for (var m = 0; m < matches.Count; m++)
            {
                var matchField = $"{ruleField}.matches[{m}].model";
                var model = matches[m].Model;
                if (model is null)
                {
                    problems.Add($"{subject}: {matchField} is required");
                    continue;
                }

                if (model.Type is not (null or ModelNameMatch.Exact))
                {
                    problems.Add($"{subject}: {matchField}.type is '{model.Type}'; only Exact is supported");
                }

                if (string.IsNullOrEmpty(model.Value))
                {
                    problems.Add($"{subject}: {matchField}.value is required");
                }
            }

            var targets = rules[r].Targets ?? [];
            if (targets.Count == 0)
            {
                problems.Add($"{subject}: {ruleField}.targets is empty; a rule needs at least one target");
            }

            var names = new List<string?>(targets.Count);
            var weights = new List<int?>(targets.Count);
            for (var t = 0; t < targets.Count; t++)
            {
                if (string.IsNullOrEmpty(targets[t].ModelRewrite))
                {
                    problems.Add($"{subject}: {ruleField}.targets[{t}].modelRewrite is required");
                }

                names.Add(targets[t].ModelRewrite);
                weights.Add(targets[t].Weight);
            }

            ValidateUnique(problems, subject, $"{ruleField}.targets", "modelRewrite", names);
            ValidateWeights(problems, subject, $"{ruleField}.targets", weights);
        }

        return problems.ToImmutable();
    }

    private static string Subject(string kind, string? @namespace, string? name) => $"{kind} {@namespace}/{name}";

    private static void ValidateName(ImmutableArray<string>.Builder problems, string subject, string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            problems.Add($"{subject}: metadata.name is required");
        }
    }

    private static void ValidatePoolRef(ImmutableArray<string>.Builder problems, string subject, InferencePoolReference? poolRef)
    {
        if (poolRef is null)
        {
            problems.Add($"{subject}: spec.poolRef is required");
        }
        else if (string.IsNullOrEmpty(poolRef.Name))
        {
            problems.Add($"{subject}: spec.poolRef.name is required");
        }
    }

    private static void ValidateUnique(ImmutableArray<string>.Builder problems, string subject, string listField, string key, List<string?> values)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < values.Count; i++)
        {
            if (!string.IsNullOrEmpty(values[i]) && !seen.Add(values[i]!))
            {
                problems.Add($"{subject}: {listField}[{i}].{key} repeats '{values[i]}'; targets must be unique");
            }
        }
    }

    // A weight on some targets but not others leaves the split undefined, so it is all or none.
    private static void ValidateWeights(ImmutableArray<string>.Builder problems, string subject, string listField, List<int?> weights)
    {
        var weighted = 0;
        for (var i = 0; i < weights.Count; i++)
        {
            if (weights[i] is not { } weight)
            {
                continue;
            }

            weighted++;
            if (weight is < MinWeight or > MaxWeight)
            {
                problems.Add($"{subject}: {listField}[{i}].weight is {weight}; a weight must be between {MinWeight} and {MaxWeight}");
            }
        }

        if (weighted > 0 && weighted < weights.Count)
        {
            problems.Add($"{subject}: {listField} sets weight on {weighted} of {weights.Count} targets; set it on all or on none");
        }
    }
}
