using System.Text.Json.Nodes;
using NJsonSchema;
using Suite.Deploy.Tests.Support;

namespace Suite.Deploy.Tests.Schemas;

/// <summary>The schema of every served version of every CRD in deploy/crds, by apiVersion and kind.</summary>
internal sealed class CrdSchemas
{
    public const string Folder = "deploy/crds";

    private static readonly Lazy<CrdSchemas> CommittedSchemas = new(() => FromCrds(
        Directory.EnumerateFiles(Repository.PathOf(Folder), "*.yaml")
            .Where(file => Path.GetFileName(file) != "kustomization.yaml")
            .Order(StringComparer.Ordinal)
            .SelectMany(file => YamlManifests.ReadFile(Repository.Relative(file)).Items)));

    private readonly Dictionary<(string ApiVersion, string Kind), JsonSchema> _schemas;

    private CrdSchemas(Dictionary<(string ApiVersion, string Kind), JsonSchema> schemas) => _schemas = schemas;

    /// <summary>The CRDs committed in deploy/crds, built once.</summary>
    public static CrdSchemas Committed => CommittedSchemas.Value;

    public IEnumerable<(string ApiVersion, string Kind)> Kinds =>
        _schemas.Keys.OrderBy(key => key.ApiVersion, StringComparer.Ordinal).ThenBy(key => key.Kind, StringComparer.Ordinal);

    public static CrdSchemas FromCrds(IEnumerable<Manifest> crds)
    {
        var schemas = new Dictionary<(string ApiVersion, string Kind), JsonSchema>();
        foreach (var crd in crds.Where(manifest => manifest.Kind == "CustomResourceDefinition"))
        {
            var group = crd.Json.At("spec", "group").Text();
            var kind = crd.Json.At("spec", "names", "kind").Text();
            foreach (var version in crd.Json.At("spec", "versions").Objects().Where(version => version.At("served").Text() == "true"))
            {
                if (version.At("schema", "openAPIV3Schema") is JsonObject openApi)
                {
                    var jsonSchema = StructuralSchema.ToJsonSchema(openApi);
                    // Built once per run, outside any test method: waiting here blocks nothing that matters.
                    schemas[($"{group}/{version.At("name").Text()}", kind!)] = JsonSchema.FromJsonAsync(jsonSchema.ToJsonString()).GetAwaiter().GetResult();
                }
            }
        }

        return new CrdSchemas(schemas);
    }

    public bool Knows(Manifest manifest) => _schemas.ContainsKey((manifest.ApiVersion, manifest.Kind));

    public JsonSchema For(Manifest manifest) =>
        _schemas.TryGetValue((manifest.ApiVersion, manifest.Kind), out var schema)
            ? schema
            : throw new InvalidOperationException($"{Folder} has no CRD serving {manifest.ApiVersion} {manifest.Kind}");
}
