using System.Text.Json.Nodes;
using Suite.Kubernetes.Manifests;
using YamlDotNet.RepresentationModel;

namespace Suite.Deploy.Tests.Support;

/// <summary>
/// Multi-document YAML as JSON objects. Scalars go through <see cref="YamlJson"/> (the services' own reader), which
/// looks at each scalar's style: a quoted "9002" stays a string, a plain 9002 becomes a number, as kubectl reads them.
/// </summary>
internal static class YamlManifests
{
    public static ManifestSet Parse(string yaml, string source) =>
        new(source, [.. Documents(yaml).SelectMany(document => Expand(document, source))]);

    public static ManifestSet ReadFile(string relativePath) => Parse(Repository.ReadText(relativePath), relativePath);

    /// <summary>Every non-empty document as JSON; the first document of a plain YAML file such as dapr.yaml.</summary>
    public static IReadOnlyList<JsonObject> Documents(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return
        [
            .. stream.Documents
                .Where(document => document.RootNode is not YamlScalarNode { Value: null or "" })
                .Select(document => YamlJson.ToJson(document.RootNode) as JsonObject
                    ?? throw new InvalidDataException($"a YAML document is not a mapping (line {document.RootNode.Start.Line})")),
        ];
    }

    // A List (kubectl get -o yaml) holds its objects in items.
    private static IEnumerable<Manifest> Expand(JsonObject document, string source) =>
        document.At("kind").Text() == "List" && document.At("items") is JsonArray items
            ? items.OfType<JsonObject>().Select(item => new Manifest(source, item))
            : [new Manifest(source, document)];
}
