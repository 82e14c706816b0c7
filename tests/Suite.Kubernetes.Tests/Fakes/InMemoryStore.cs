using System.Globalization;
using System.Text.Json.Nodes;
using static Suite.Kubernetes.Tests.Fakes.InMemoryObject;

namespace Suite.Kubernetes.Tests.Fakes;

/// <summary>
/// The state of the in-memory API server and its rules: installed kinds, their objects, and one resourceVersion
/// counter for everything, as etcd has. One lock around it all; objects are never changed in place, only replaced,
/// and what leaves the lock is a copy or a string.
/// </summary>
internal sealed class InMemoryStore
{
    /// <summary>What a PUT cannot change about an object.</summary>
    private static readonly string[] IdentityFields = ["name", "namespace", "uid", "creationTimestamp"];

    private readonly Lock _gate = new();
    private readonly Dictionary<InMemoryKind, InMemoryCollection> _collections = [];
    private long _resourceVersion = 1;

    public void Install(InMemoryKind kind, string? kindName)
    {
        lock (_gate)
        {
            if (_collections.TryGetValue(kind, out var installed))
            {
                installed.KindName = kindName ?? installed.KindName;
                return;
            }

            _collections[kind] = new InMemoryCollection(kind, kindName);
        }
    }

    /// <summary>Deletes every object (each with a DELETED event), ends the watches, then stops serving the kind.</summary>
    public void Remove(InMemoryKind kind)
    {
        lock (_gate)
        {
            if (!_collections.Remove(kind, out var collection))
            {
                return;
            }

            foreach (var resource in collection.Objects.ToList())
            {
                Commit(collection, "DELETED", (JsonObject)resource.DeepClone());
            }

            collection.EndWatches();
        }
    }

    /// <summary>Creates or replaces an object as a test sets it up; the kind is found from its apiVersion and kind.</summary>
    public JsonObject Put(JsonObject resource)
    {
        var apiVersion = StringOf(resource["apiVersion"]) ?? throw new ArgumentException("The object has no apiVersion.", nameof(resource));
        var kindName = StringOf(resource["kind"]) ?? throw new ArgumentException("The object has no kind.", nameof(resource));
        var name = NameOf(resource) ?? throw new ArgumentException("The object has no metadata.name.", nameof(resource));
        var metadata = MetadataOf(resource);
        if (string.IsNullOrEmpty(NamespaceOf(resource)))
        {
            metadata["namespace"] = "default";
        }

        lock (_gate)
        {
            var collection = Find(apiVersion, kindName)
                ?? throw new InvalidOperationException($"No installed kind serves {kindName} in {apiVersion}; call InstallKind first.");
            var existing = collection.Find(NamespaceOf(resource), name);
            Stamp(resource, existing);
            Commit(collection, existing is null ? "ADDED" : "MODIFIED", resource);
            return (JsonObject)resource.DeepClone();
        }
    }

    public bool Delete(InMemoryKind kind, string namespaceName, string name)
    {
        lock (_gate)
        {
            var existing = _collections.GetValueOrDefault(kind)?.Find(namespaceName, name);
            if (existing is null)
            {
                return false;
            }

            Commit(_collections[kind], "DELETED", (JsonObject)existing.DeepClone());
            return true;
        }
    }

    public string? Get(InMemoryKind kind, string namespaceName, string name)
    {
        lock (_gate)
        {
            return _collections.GetValueOrDefault(kind)?.Find(namespaceName, name)?.ToJsonString();
        }
    }

    public InMemoryResponse List(InMemoryRoute route, InMemoryLabelSelector selector)
    {
        lock (_gate)
        {
            if (!_collections.TryGetValue(route.Kind, out var collection))
            {
                return InMemoryResponse.NoSuchResource();
            }

            var items = new JsonArray();
            foreach (var resource in collection.Objects)
            {
                if ((route.Namespace is null || route.Namespace == NamespaceOf(resource)) && selector.Matches(resource))
                {
                    items.Add(resource.DeepClone());
                }
            }

            return InMemoryResponse.Ok(new JsonObject
            {
                ["apiVersion"] = route.Kind.ApiVersion,
                ["kind"] = (collection.KindName ?? string.Empty) + "List",
                ["metadata"] = new JsonObject { ["resourceVersion"] = Format(_resourceVersion) },
                ["items"] = items,
            });
        }
    }

    /// <returns>Null when the kind is not served.</returns>
    public InMemoryWatch? Watch(InMemoryRoute route, InMemoryLabelSelector selector, long? after)
    {
        lock (_gate)
        {
            return _collections.GetValueOrDefault(route.Kind)?.Open(route.Namespace, selector, after);
        }
    }

    public void Unwatch(InMemoryWatch watch)
    {
        lock (_gate)
        {
            watch.Owner.Close(watch);
        }
    }

    /// <summary>Forgets every kind's history so far: a watch from an older resourceVersion gets 410 Expired.</summary>
    public void Compact()
    {
        lock (_gate)
        {
            foreach (var collection in _collections.Values)
            {
                collection.Compact(_resourceVersion);
            }
        }
    }

    /// <summary>Cuts every open watch off; a change made after this returns reaches none of them.</summary>
    public void DropAllWatches()
    {
        lock (_gate)
        {
            foreach (var collection in _collections.Values)
            {
                collection.DropWatches();
            }
        }
    }

    public void EndAllWatches()
    {
        lock (_gate)
        {
            foreach (var collection in _collections.Values)
            {
                collection.EndWatches();
            }
        }
    }

    public InMemoryResponse Read(InMemoryRoute route) => WithObject(route, (_, existing) => InMemoryResponse.Ok(existing.DeepClone()));

    public InMemoryResponse Create(InMemoryRoute route, JsonObject body)
    {
        lock (_gate)
        {
            if (!_collections.TryGetValue(route.Kind, out var collection))
            {
                return InMemoryResponse.NoSuchResource();
            }

            var name = NameOf(body);
            var bodyNamespace = NamespaceOf(body);
            if (string.IsNullOrEmpty(name))
            {
                return InMemoryResponse.BadRequest("metadata.name: Required value: name is required");
            }

            if (route.Namespace is not null && bodyNamespace.Length > 0 && bodyNamespace != route.Namespace)
            {
                return InMemoryResponse.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
            }

            if (!string.IsNullOrEmpty(ResourceVersionOf(body)))
            {
                return InMemoryResponse.BadRequest("resourceVersion should not be set on objects to be created");
            }

            var resource = (JsonObject)body.DeepClone();
            var namespaceName = route.Namespace ?? bodyNamespace;
            if (namespaceName.Length > 0)
            {
                MetadataOf(resource)["namespace"] = namespaceName;
            }

            if (collection.Find(namespaceName, name) is not null)
            {
                return InMemoryResponse.AlreadyExists(route.Kind, name);
            }

            Stamp(resource, null);
            Commit(collection, "ADDED", resource);
            return InMemoryResponse.Created(resource.DeepClone());
        }
    }

    /// <summary>PUT of the object: everything but its status (a subresource) and its identity is replaced.</summary>
    public InMemoryResponse Replace(InMemoryRoute route, JsonObject body) => WithCurrentVersion(route, body, (collection, existing) =>
    {
        if (NameOf(body) is { } bodyName && bodyName != route.Name)
        {
            return InMemoryResponse.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({route.Name})");
        }

        var updated = (JsonObject)body.DeepClone();
        var metadata = MetadataOf(updated);
        var current = MetadataOf(existing);
        foreach (var field in IdentityFields)
        {
            CopyMember(current, metadata, field);
        }

        CopyMember(existing, updated, "status");
        return Update(collection, existing, updated);
    });

    /// <summary>PUT of <c>/status</c>: only the status is taken from the body.</summary>
    public InMemoryResponse ReplaceStatus(InMemoryRoute route, JsonObject body) => WithCurrentVersion(route, body, (collection, existing) =>
        Update(collection, existing, WithStatus(existing, body["status"]?.DeepClone())));

    /// <summary>PATCH of <c>/status</c> with a JSON merge patch: only the patch's <c>status</c> applies.</summary>
    public InMemoryResponse PatchStatus(InMemoryRoute route, JsonObject patch) => WithCurrentVersion(route, patch, (collection, existing) =>
        patch.TryGetPropertyValue("status", out var status)
            ? Update(collection, existing, WithStatus(existing, InMemoryMergePatch.Apply(existing["status"], status)))
            : InMemoryResponse.Ok(existing.DeepClone()));

    public InMemoryResponse DeleteObject(InMemoryRoute route) => WithObject(route, (collection, existing) =>
    {
        var deleted = (JsonObject)existing.DeepClone();
        Commit(collection, "DELETED", deleted);
        return InMemoryResponse.Ok(deleted.DeepClone());
    });

    private static string Format(long resourceVersion) => resourceVersion.ToString(CultureInfo.InvariantCulture);

    private static JsonObject WithStatus(JsonObject existing, JsonNode? status)
    {
        var updated = (JsonObject)existing.DeepClone();
        if (status is null)
        {
            updated.Remove("status");
        }
        else
        {
            updated["status"] = status;
        }

        return updated;
    }

    private InMemoryCollection? Find(string apiVersion, string kindName)
    {
        foreach (var collection in _collections.Values)
        {
            if (collection.Kind.ApiVersion == apiVersion
                && (collection.KindName == kindName || (collection.KindName is null && collection.Kind.Plural == InMemoryKind.PluralOf(kindName))))
            {
                collection.KindName = kindName;
                return collection;
            }
        }

        return null;
    }

    private InMemoryResponse WithObject(InMemoryRoute route, Func<InMemoryCollection, JsonObject, InMemoryResponse> action)
    {
        lock (_gate)
        {
            if (!_collections.TryGetValue(route.Kind, out var collection))
            {
                return InMemoryResponse.NoSuchResource();
            }

            var existing = collection.Find(route.Namespace ?? string.Empty, route.Name!);
            return existing is null ? InMemoryResponse.NotFound(route.Kind, route.Name!) : action(collection, existing);
        }
    }

    /// <summary>Optimistic concurrency: a body that names a resourceVersion must name the current one.</summary>
    private InMemoryResponse WithCurrentVersion(InMemoryRoute route, JsonObject body, Func<InMemoryCollection, JsonObject, InMemoryResponse> action) =>
        WithObject(route, (collection, existing) =>
            ResourceVersionOf(body) is { Length: > 0 } expected && expected != ResourceVersionOf(existing)
                ? InMemoryResponse.Conflict(route.Kind, route.Name!)
                : action(collection, existing));

    /// <summary>Stores <paramref name="updated"/> unless it equals the current object: like the API server, a no-op write keeps the resourceVersion and emits nothing.</summary>
    private InMemoryResponse Update(InMemoryCollection collection, JsonObject existing, JsonObject updated)
    {
        MetadataOf(updated)["resourceVersion"] = ResourceVersionOf(existing);
        if (JsonNode.DeepEquals(existing, updated))
        {
            return InMemoryResponse.Ok(existing.DeepClone());
        }

        Commit(collection, "MODIFIED", updated);
        return InMemoryResponse.Ok(updated.DeepClone());
    }

    private void Commit(InMemoryCollection collection, string type, JsonObject resource)
    {
        var resourceVersion = ++_resourceVersion;
        MetadataOf(resource)["resourceVersion"] = Format(resourceVersion);
        collection.Apply(type, resourceVersion, resource);
    }
}
