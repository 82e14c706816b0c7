using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Suite.Kubernetes.Manifests;

/// <summary>An object read from a manifests file and the line its document or list item starts on.</summary>
public sealed record ManifestObject(IKubernetesObject<V1ObjectMeta> Value, long Line);

/// <summary>A manifest of a kind the reader was not asked for.</summary>
public sealed record SkippedManifest(string ApiVersion, string Kind, string? Name, long Line);

public sealed record ManifestContents(ImmutableArray<ManifestObject> Objects, ImmutableArray<SkippedManifest> Skipped);

/// <summary>
/// Reads Kubernetes manifests the way <c>kubectl apply -f</c> takes them: YAML documents separated by <c>---</c>,
/// and <c>List</c> objects whose <c>items</c> are manifests. Objects go through <see cref="KubernetesJson"/>, so a file
/// and the API server yield the same objects. Any problem is an <see cref="InvalidDataException"/> naming the file and line.
/// </summary>
public static class ManifestReader
{
    /// <param name="source">The file name used in error messages.</param>
    /// <param name="kinds">Deserialisers keyed by <c>apiVersion/kind</c>, e.g. <c>v1/Pod</c>; other kinds are skipped.</param>
    public static ManifestContents Read(
        string yaml,
        string source,
        IReadOnlyDictionary<string, Func<JsonNode, IKubernetesObject<V1ObjectMeta>>> kinds)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(kinds);

        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException ex)
        {
            throw Problem(source, ex.Start.Line, ex.Message, ex);
        }

        var objects = ImmutableArray.CreateBuilder<ManifestObject>();
        var skipped = ImmutableArray.CreateBuilder<SkippedManifest>();
        foreach (var document in stream.Documents)
        {
            // A trailing "---" or a document of comments only is empty, not an error.
            if (document.RootNode is YamlScalarNode { Value: null or "" })
            {
                continue;
            }

            ReadManifest(document.RootNode, null, source, kinds, objects, skipped);
        }

        return new ManifestContents(objects.ToImmutable(), skipped.ToImmutable());
    }

    private static void ReadManifest(
        YamlNode node,
        (string ApiVersion, string Kind)? listDefaults,
        string source,
        IReadOnlyDictionary<string, Func<JsonNode, IKubernetesObject<V1ObjectMeta>>> kinds,
        ImmutableArray<ManifestObject>.Builder objects,
        ImmutableArray<SkippedManifest>.Builder skipped)
    {
        var line = node.Start.Line;
        if (node is not YamlMappingNode manifest)
        {
            throw Problem(source, line, "a manifest must be a mapping with apiVersion and kind");
        }

        var apiVersion = Scalar(manifest, "apiVersion") ?? listDefaults?.ApiVersion;
        var kind = Scalar(manifest, "kind") ?? listDefaults?.Kind;
        if (string.IsNullOrEmpty(apiVersion) || string.IsNullOrEmpty(kind))
        {
            throw Problem(source, line, "a manifest needs both apiVersion and kind");
        }

        if (kind.EndsWith("List", StringComparison.Ordinal) && Child(manifest, "items") is { } items)
        {
            if (items is not YamlSequenceNode sequence)
            {
                throw Problem(source, items.Start.Line, $"items of a {kind} must be a sequence");
            }

            // Items of a typed list (PodList from the API) may omit their own apiVersion and kind.
            (string, string)? itemDefaults = kind == "List" ? null : (apiVersion, kind[..^"List".Length]);
            foreach (var item in sequence.Children)
            {
                ReadManifest(item, itemDefaults, source, kinds, objects, skipped);
            }

            return;
        }

        var name = Scalar(Child(manifest, "metadata") as YamlMappingNode, "name");
        if (!kinds.TryGetValue($"{apiVersion}/{kind}", out var deserialize))
        {
            skipped.Add(new SkippedManifest(apiVersion, kind, name, line));
            return;
        }

        var json = ToJson(manifest, source);
        json["apiVersion"] = apiVersion;
        json["kind"] = kind;
        var value = Deserialize(deserialize, json, manifest, name is null ? kind : $"{kind} {name}", source);
        if (string.IsNullOrEmpty(value.Metadata?.Name))
        {
            throw Problem(source, line, $"{kind} has no metadata.name");
        }

        objects.Add(new ManifestObject(value, line));
    }

    private static JsonObject ToJson(YamlMappingNode manifest, string source)
    {
        try
        {
            return (JsonObject)YamlJson.ToJson(manifest)!;
        }
        catch (YamlException ex)
        {
            throw Problem(source, ex.Start.Line, ex.Message, ex);
        }
    }

    private static IKubernetesObject<V1ObjectMeta> Deserialize(
        Func<JsonNode, IKubernetesObject<V1ObjectMeta>> deserialize,
        JsonObject json,
        YamlMappingNode manifest,
        string subject,
        string source)
    {
        try
        {
            return deserialize(json);
        }
        catch (JsonException ex)
        {
            // The path leads back to the offending YAML node; its own message carries JSON positions that mean nothing here.
            var field = ex.Path is { Length: > 1 } path ? $"{path.TrimStart('$').TrimStart('.')}: " : "";
            var reason = ex.Message.Split(" Path: ", 2)[0];
            throw Problem(source, YamlJson.Find(manifest, ex.Path).Start.Line, $"{subject}: {field}{reason}", ex);
        }
        catch (Exception ex) when (ex is FormatException or OverflowException or ArgumentException or InvalidOperationException or NotSupportedException)
        {
            throw Problem(source, manifest.Start.Line, $"{subject}: {ex.Message}", ex);
        }
    }

    private static YamlNode? Child(YamlMappingNode? mapping, string key) =>
        mapping is not null && mapping.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;

    private static string? Scalar(YamlMappingNode? mapping, string key) =>
        Child(mapping, key) is YamlScalarNode { Value: { Length: > 0 } value } ? value : null;

    private static InvalidDataException Problem(string source, long line, string reason, Exception? inner = null) =>
        new($"{source} line {line}: {reason}", inner);
}
