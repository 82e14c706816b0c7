using System.Text.Json.Nodes;

namespace Suite.Kubernetes.Tests.Fakes;

/// <summary>
/// The objects of one installed kind, their change history (kept whole until <see cref="Compact"/>, so any later
/// resourceVersion can be watched from) and the watches open on them. Not thread-safe: <see cref="InMemoryStore"/>
/// holds its lock around every call.
/// </summary>
internal sealed class InMemoryCollection(InMemoryKind kind, string? kindName)
{
    private readonly SortedDictionary<string, JsonObject> _objects = new(StringComparer.Ordinal);
    private readonly List<InMemoryEvent> _history = [];
    private readonly List<InMemoryWatch> _watches = [];
    private long _compactedThrough;

    public InMemoryKind Kind => kind;

    /// <summary>E.g. <c>InferencePool</c>; learnt from the first object put when not given at install.</summary>
    public string? KindName { get; set; } = kindName;

    /// <summary>Every object, ordered by namespace and name.</summary>
    public IEnumerable<JsonObject> Objects => _objects.Values;

    public JsonObject? Find(string namespaceName, string name) => _objects.GetValueOrDefault(Key(namespaceName, name));

    /// <summary>Records a change already stamped with <paramref name="resourceVersion"/> and tells the open watches.</summary>
    public void Apply(string type, long resourceVersion, JsonObject resource)
    {
        var key = Key(InMemoryObject.NamespaceOf(resource), InMemoryObject.NameOf(resource)!);
        if (type == "DELETED")
        {
            _objects.Remove(key);
        }
        else
        {
            _objects[key] = resource;
        }

        var change = InMemoryEvent.Of(type, resourceVersion, resource);
        _history.Add(change);
        foreach (var watch in _watches)
        {
            watch.Offer(change);
        }
    }

    /// <param name="after">
    /// Replays the changes after this resourceVersion; null replays the current objects as ADDED. One older than the
    /// last compaction gets a watch that only says 410 Expired.
    /// </param>
    public InMemoryWatch Open(string? namespaceName, InMemoryLabelSelector selector, long? after)
    {
        var watch = new InMemoryWatch(this, namespaceName, selector);
        if (after < _compactedThrough)
        {
            watch.Expire(after.Value, _compactedThrough);
            return watch;
        }

        var replay = after is { } resourceVersion
            ? _history.Where(e => e.ResourceVersion > resourceVersion)
            : _objects.Values.Select(o => InMemoryEvent.Of("ADDED", 0, o));
        foreach (var change in replay)
        {
            watch.Offer(change);
        }

        _watches.Add(watch);
        return watch;
    }

    public void Close(InMemoryWatch watch) => _watches.Remove(watch);

    /// <summary>Forgets the history up to <paramref name="resourceVersion"/>, as etcd compaction does.</summary>
    public void Compact(long resourceVersion)
    {
        _history.Clear();
        _compactedThrough = resourceVersion;
    }

    /// <summary>Cuts every open watch off at once; see <see cref="InMemoryWatch.Drop"/>.</summary>
    public void DropWatches()
    {
        foreach (var watch in _watches)
        {
            watch.Drop();
        }

        _watches.Clear();
    }

    public void EndWatches()
    {
        foreach (var watch in _watches)
        {
            watch.End();
        }

        _watches.Clear();
    }

    private static string Key(string namespaceName, string name) => namespaceName + "/" + name;
}
