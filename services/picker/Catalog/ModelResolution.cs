using Suite.Contracts.Catalog;
using Suite.Picker.Scheduling;

namespace Suite.Picker.Catalog;

/// <summary>What the catalog makes of a request's model name.</summary>
/// <param name="TargetModel">The name the model server gets (spliced into the body when it differs).</param>
/// <param name="Known">False when a catalog is held and does not list the name.</param>
public readonly record struct ModelResolution(string TargetModel, Criticality Criticality, bool Known)
{
    /// <summary>
    /// Resolves <paramref name="requested"/> through <paramref name="catalog"/>: a listed model goes to one of its
    /// targets by weight; without a catalog every name passes through at Standard criticality.
    /// </summary>
    public static ModelResolution Resolve(string requested, CatalogIndex? catalog, IRandomSource random)
    {
        if (catalog is null)
        {
            return new ModelResolution(requested, Criticality.Standard, Known: true);
        }

        return catalog.Find(requested) is { } model
            ? new ModelResolution(WeightedTargetChoice.Choose(model, random), model.Criticality, Known: true)
            : new ModelResolution(requested, Criticality.Standard, Known: false);
    }
}
