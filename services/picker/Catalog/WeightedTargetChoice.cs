using System.Collections.Immutable;
using Suite.Contracts.Catalog;
using Suite.Picker.Scheduling;

namespace Suite.Picker.Catalog;

/// <summary>
/// Picks one target of a weighted split (an InferenceModel's canary, a rewrite's 90/10) for one request, in
/// proportion to the weights. The random source is injected, so a test can replay the exact sequence of choices.
/// </summary>
public static class WeightedTargetChoice
{
    /// <summary>The target's name; the model's own name when it declares no targets.</summary>
    public static string Choose(CatalogModel model, IRandomSource random) => Choose(model.Targets, model.Name, random);

    /// <summary>The target's name; <paramref name="whenNoTargets"/> when the list is empty.</summary>
    public static string Choose(ImmutableArray<CatalogTarget> targets, string whenNoTargets, IRandomSource random)
    {
        if (targets.IsDefaultOrEmpty)
        {
            return whenNoTargets;
        }

        if (targets.Length == 1)
        {
            return targets[0].Name;
        }

        long total = 0;
        foreach (var target in targets)
        {
            total += Math.Max(target.Weight, 0);
        }

        if (total <= 0)
        {
            // Weights left out everywhere: an even split (the catalog normally fills in 1 for each).
            return targets[random.NextInt(targets.Length)].Name;
        }

        // Ten targets of at most 1,000,000 each: the total always fits an int.
        var point = random.NextInt((int)total);
        foreach (var target in targets)
        {
            point -= Math.Max(target.Weight, 0);
            if (point < 0)
            {
                return target.Name;
            }
        }

        return targets[^1].Name;
    }
}
