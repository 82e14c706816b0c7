using Suite.Contracts.Catalog;
using Suite.Picker.Scheduling;

namespace Suite.Picker.Catalog;

/// <summary>Everything the catalog and the gateway headers say about one request, for routing and flow control.</summary>
/// <param name="TargetModel">The name the model server gets; null when the request names no model.</param>
/// <param name="Known">False when a catalog is held and nothing in it claims the requested model name.</param>
/// <param name="Priority">The objective's priority; <see cref="DefaultPriority"/> when it is absent or unknown.
/// Negative is sheddable.</param>
/// <param name="Objective">The objective the request named (<c>x-gateway-inference-objective</c>), known or not.</param>
/// <param name="ObjectiveKnown">Whether the held catalog lists <paramref name="Objective"/>.</param>
/// <param name="FairnessId">The flow the request is accounted to (<c>x-gateway-inference-fairness-id</c>).</param>
public readonly record struct RequestClassification(
    string? TargetModel,
    Criticality Criticality,
    bool Known,
    int Priority,
    string? Objective,
    bool ObjectiveKnown,
    string FairnessId)
{
    /// <summary>The priority of a request without a known objective, as upstream defaults it.</summary>
    public const int DefaultPriority = 0;

    /// <summary>
    /// Resolves the model name as <see cref="ModelResolution.Resolve"/> does (a request without one is known, at
    /// Standard criticality) and looks the objective up by name.
    /// </summary>
    public static RequestClassification Classify(
        string? requestedModel, string? objective, string fairnessId, CatalogIndex? catalog, IRandomSource random)
    {
        var found = objective is null ? null : catalog?.FindObjective(objective);
        var priority = found?.Priority ?? DefaultPriority;
        if (requestedModel is null)
        {
            return new RequestClassification(
                null, Criticality.Standard, Known: true, priority, objective, found is not null, fairnessId);
        }

        var model = ModelResolution.Resolve(requestedModel, catalog, random);
        return new RequestClassification(
            model.TargetModel, model.Criticality, model.Known, priority, objective, found is not null, fairnessId);
    }
}
