using System.Collections.Frozen;
using System.Collections.Immutable;
using Suite.Contracts.Catalog;
using Suite.Contracts.Flow;

namespace Suite.Host.Dashboard;

/// <summary>
/// One pool's catalog, looked up as the picker classifies a request for the queue: the band is the objective's
/// priority when the request named an objective the catalog lists, else the criticality of the InferenceModel
/// that serves exactly the requested name (<see cref="FlowBands.Of"/>); rewritten, unknown or missing names are
/// Standard, as are all requests before a catalog arrives. The first entry of a name wins, as in the picker.
/// </summary>
internal sealed class CatalogPriorities
{
    private readonly FrozenDictionary<string, Criticality> _models;
    private readonly FrozenDictionary<string, int> _objectives;

    public CatalogPriorities(CatalogSnapshot snapshot)
    {
        Version = snapshot.Version;
        _models = FirstPerName(snapshot.Models, model => model.Name, model => model.Criticality);
        _objectives = FirstPerName(snapshot.Objectives, objective => objective.Name, objective => objective.Priority);
    }

    public long Version { get; }

    public static int WithoutCatalog => FlowBands.Of(Criticality.Standard, null);

    public int PriorityOf(string? model, string? objective)
    {
        int? priority = objective is not null && _objectives.TryGetValue(objective, out var known) ? known : null;
        var criticality = model is not null && _models.TryGetValue(model, out var found) ? found : Criticality.Standard;
        return FlowBands.Of(criticality, priority);
    }

    private static FrozenDictionary<string, TValue> FirstPerName<T, TValue>(
        ImmutableArray<T> items, Func<T, string> nameOf, Func<T, TValue> valueOf)
    {
        var byName = new Dictionary<string, TValue>(StringComparer.Ordinal);
        foreach (var item in items.IsDefault ? [] : items)
        {
            byName.TryAdd(nameOf(item), valueOf(item));
        }

        return byName.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
