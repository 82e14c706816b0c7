using Suite.Contracts.Catalog;
using Suite.Picker.Scheduling;

namespace Suite.Picker.Catalog;

/// <summary>What the catalog makes of a request's model name.</summary>
/// <param name="TargetModel">The name the model server gets (spliced into the body when it differs).</param>
/// <param name="Known">False when a catalog is held and nothing in it claims the name.</param>
public readonly record struct ModelResolution(string TargetModel, Criticality Criticality, bool Known)
{
    /// <summary>
    /// Resolves <paramref name="requested"/> through <paramref name="catalog"/>, first match wins:
    /// <list type="number">
    /// <item>an InferenceModel serving exactly that name → one of its targets by weight, at its criticality;</item>
    /// <item>else a rewrite for exactly that name → one of its targets by weight, at Standard criticality;</item>
    /// <item>else the catch-all rewrite → one of its targets by weight, at Standard criticality;</item>
    /// <item>else unknown: the name passes through unchanged (the caller may reject it instead).</item>
    /// </list>
    /// Without a catalog (none received yet) every name passes through, known, at Standard criticality. A rewrite
    /// without targets keeps the requested name.
    /// </summary>
    public static ModelResolution Resolve(string requested, CatalogIndex? catalog, IRandomSource random)
    {
        if (catalog is null)
        {
            return new ModelResolution(requested, Criticality.Standard, Known: true);
        }

        if (catalog.FindModel(requested) is { } model)
        {
            return new ModelResolution(WeightedTargetChoice.Choose(model, random), model.Criticality, Known: true);
        }

        if ((catalog.FindRewrite(requested) ?? catalog.CatchAll) is { } rewrite)
        {
            return new ModelResolution(
                WeightedTargetChoice.Choose(rewrite.Targets, requested, random), Criticality.Standard, Known: true);
        }

        return new ModelResolution(requested, Criticality.Standard, Known: false);
    }
}
