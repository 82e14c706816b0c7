using System.Collections.Frozen;
using System.Collections.Immutable;
using Suite.Contracts.Catalog;

namespace Suite.Picker.Catalog;

/// <summary>
/// A catalog snapshot with its models, rewrites and objectives looked up by name without allocating. Lists left
/// out by older snapshots (default arrays) read as empty.
/// </summary>
public sealed class CatalogIndex
{
    private readonly FrozenDictionary<string, CatalogModel> _models;
    private readonly FrozenDictionary<string, CatalogRewrite> _rewrites;
    private readonly FrozenDictionary<string, CatalogObjective> _objectives;

    public CatalogIndex(CatalogSnapshot snapshot)
    {
        Snapshot = snapshot;
        _models = FirstPerName(snapshot.Models, model => model.Name);
        _objectives = FirstPerName(snapshot.Objectives, objective => objective.Name);
        _rewrites = FirstPerName(snapshot.Rewrites, rewrite => rewrite.Model);
        foreach (var rewrite in OrEmpty(snapshot.Rewrites))
        {
            if (rewrite.Model is null)
            {
                CatchAll = rewrite;
                break;
            }
        }
    }

    public CatalogSnapshot Snapshot { get; }

    /// <summary>The rewrite for every name no InferenceModel and no exact rewrite claims; null when there is none.</summary>
    public CatalogRewrite? CatchAll { get; }

    public CatalogModel? FindModel(string name) => _models.GetValueOrDefault(name);

    /// <summary>The rewrite for exactly <paramref name="name"/>; the catch-all is not consulted.</summary>
    public CatalogRewrite? FindRewrite(string name) => _rewrites.GetValueOrDefault(name);

    public CatalogObjective? FindObjective(string name) => _objectives.GetValueOrDefault(name);

    // The catalog already keeps one entry per name; should a snapshot ever break that, the first wins rather than
    // the whole catalog being refused.
    private static FrozenDictionary<string, T> FirstPerName<T>(ImmutableArray<T> items, Func<T, string?> nameOf)
    {
        var byName = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var item in OrEmpty(items))
        {
            if (nameOf(item) is { } name)
            {
                byName.TryAdd(name, item);
            }
        }

        return byName.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static ImmutableArray<T> OrEmpty<T>(ImmutableArray<T> items) => items.IsDefault ? [] : items;
}
