using System.Text.Json.Nodes;
using Suite.Deploy.Tests.Rendering;
using Suite.Deploy.Tests.Support;

namespace Suite.Deploy.Tests.Schemas;

/// <summary>The validator bites: copies of the real llm-pool, each with one mistake, fail naming the field.</summary>
public sealed class SchemaValidationTests
{
    private const string Pool = "deploy/model-servers/pool: InferencePool llm-pool";

    [Fact]
    public async Task Validate_RealPool_NoProblems()
    {
        Assert.Empty(SchemaValidation.Validate(CrdSchemas.Committed, await RealPoolAsync()));
    }

    [Fact]
    public async Task Validate_UnknownField_NamesItsPath()
    {
        // portNumber is the legacy v1alpha2 spelling; the v1 schema knows only port.number.
        var pool = (await RealPoolAsync()).With(json => json["spec"]!["endpointPickerRef"]!["portNumber"] = 9002);

        Assert.Equal([$"{Pool}: /spec/endpointPickerRef/portNumber: unknown field"], SchemaValidation.Validate(CrdSchemas.Committed, pool));
    }

    [Fact]
    public async Task Validate_TargetPortNumberAsString_NamesItsPath()
    {
        var pool = (await RealPoolAsync()).With(json => json["spec"]!["targetPorts"]![0]!["number"] = "8000");

        Assert.Equal(
            [$"{Pool}: /spec/targetPorts/0/number: integer expected, got \"8000\""],
            SchemaValidation.Validate(CrdSchemas.Committed, pool));
    }

    [Fact]
    public async Task Validate_SelectorInTheLegacyShape_NamesBothMistakes()
    {
        var pool = (await RealPoolAsync()).With(json => json["spec"]!["selector"] = new JsonObject { ["inference-pool"] = "llm-pool" });

        Assert.Equal(
            [
                $"{Pool}: /spec/selector/inference-pool: unknown field",
                $"{Pool}: /spec/selector/matchLabels: required field missing",
            ],
            SchemaValidation.Validate(CrdSchemas.Committed, pool).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Validate_RequiredFieldMissing_NamesTheObjectAndTheField()
    {
        var pool = (await RealPoolAsync()).With(json => json["spec"]!.AsObject().Remove("targetPorts"));

        Assert.Equal(
            [$"{Pool}: /spec/targetPorts: required field missing"],
            SchemaValidation.Validate(CrdSchemas.Committed, pool));
    }

    [Fact]
    public void Validate_QuotedPortInYaml_IsAStringWhilePlainIsANumber()
    {
        const string Template = """
            apiVersion: inference.networking.k8s.io/v1
            kind: InferencePool
            metadata: {name: p}
            spec:
              selector: {matchLabels: {app: p}}
              targetPorts: [{number: PORT}]
              endpointPickerRef: {name: picker, port: {number: 9002}}
            """;
        var plain = YamlManifests.Parse(Template.Replace("PORT", "8000", StringComparison.Ordinal), "plain").Items[0];
        var quoted = YamlManifests.Parse(Template.Replace("PORT", "\"8000\"", StringComparison.Ordinal), "quoted").Items[0];

        Assert.Empty(SchemaValidation.Validate(CrdSchemas.Committed, plain));
        Assert.Equal(
            ["quoted: InferencePool p: /spec/targetPorts/0/number: integer expected, got \"8000\""],
            SchemaValidation.Validate(CrdSchemas.Committed, quoted));
    }

    [Fact]
    public void Validate_KubernetesExtensions_IntOrStringAndPreservedFieldsAreHonoured()
    {
        var schemas = CrdSchemas.FromCrds(YamlManifests.Parse(
            """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: widgets.example.com}
            spec:
              group: example.com
              names: {kind: Widget, plural: widgets}
              versions:
                - name: v1
                  served: true
                  schema:
                    openAPIV3Schema:
                      type: object
                      properties:
                        apiVersion: {type: string}
                        kind: {type: string}
                        metadata: {type: object}
                        spec:
                          type: object
                          properties:
                            size: {x-kubernetes-int-or-string: true}
                            extra: {type: object, x-kubernetes-preserve-unknown-fields: true, properties: {known: {type: string}}}
            """,
            "widget-crd").Items);
        IReadOnlyList<string> Validate(string spec) =>
            SchemaValidation.Validate(schemas, YamlManifests.Parse($"{{apiVersion: example.com/v1, kind: Widget, metadata: {{name: w}}, spec: {spec}}}", "w").Items[0]);

        Assert.Empty(Validate("{size: 3, extra: {known: a, anything: 1}}"));
        Assert.Empty(Validate("{size: 50%}"));
        Assert.Equal(["w: Widget w: /spec/size: expected integer or string, got true"], Validate("{size: true}"));
        Assert.Equal(["w: Widget w: /spec/colour: unknown field"], Validate("{colour: red}"));
    }

    private static async Task<Manifest> RealPoolAsync() =>
        (await Renderings.OfAsync(Kustomizations.Pool)).Single("InferencePool", "llm-pool");
}
