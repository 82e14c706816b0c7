using System.Text.Json.Nodes;

namespace Suite.Deploy.Tests.Support;

/// <summary>The objects of one rendering or one file, named by <see cref="Source"/> in messages.</summary>
internal sealed record ManifestSet(string Source, IReadOnlyList<Manifest> Items)
{
    public IEnumerable<Manifest> OfKind(string kind) => Items.Where(item => item.Kind == kind);

    public Manifest? Find(string kind, string name) => Items.FirstOrDefault(item => item.Kind == kind && item.Name == name);

    /// <summary>The one object of a kind and name; a missing object fails with the names that were there.</summary>
    public Manifest Single(string kind, string name) =>
        Find(kind, name) ?? throw new InvalidOperationException(
            $"{Source} has no {kind} {name}; its {kind} objects: {string.Join(", ", OfKind(kind).Select(item => item.Name))}");

    /// <summary>A copy with the named object changed (a deep copy: the original is untouched).</summary>
    public ManifestSet With(string kind, string name, Action<JsonObject> change)
    {
        var target = Single(kind, name);
        return this with { Items = [.. Items.Select(item => ReferenceEquals(item, target) ? item.With(change) : item)] };
    }
}
