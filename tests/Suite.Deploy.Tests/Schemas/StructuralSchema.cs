using System.Text.Json.Nodes;
using Suite.Deploy.Tests.Support;

namespace Suite.Deploy.Tests.Schemas;

/// <summary>
/// A CRD's <c>openAPIV3Schema</c> (a Kubernetes structural schema, OpenAPI 3.0 flavoured) as a plain JSON Schema
/// (draft 6 keywords, which NJsonSchema validates) that rejects what the API server rejects under strict field
/// validation (<c>kubectl apply --validate=strict</c>, the default).
/// </summary>
internal static class StructuralSchema
{
    private const string ExtensionPrefix = "x-kubernetes-";
    private const string PreserveUnknownFields = "x-kubernetes-preserve-unknown-fields";
    private const string IntOrString = "x-kubernetes-int-or-string";

    public static JsonObject ToJsonSchema(JsonObject openApiV3Schema)
    {
        ArgumentNullException.ThrowIfNull(openApiV3Schema);
        var schema = Convert(openApiV3Schema);
        // Every object's metadata is ObjectMeta, which a CRD never describes: the API server checks it, not this schema.
        if (schema.At("properties") is JsonObject properties && properties.ContainsKey("metadata"))
        {
            properties["metadata"] = new JsonObject { ["type"] = "object" };
        }

        return schema;
    }

    private static JsonObject Convert(JsonObject source)
    {
        var target = new JsonObject();
        foreach (var (keyword, value) in source)
        {
            switch (keyword)
            {
                case var extension when extension.StartsWith(ExtensionPrefix, StringComparison.Ordinal):
                    break; // list types, CEL rules and the like: not JSON Schema; the two that shape validation are read below
                case "properties" or "patternProperties" when value is JsonObject children:
                    target[keyword] = new JsonObject(children.Select(child => KeyValuePair.Create(child.Key, (JsonNode?)ConvertSchema(child.Value))));
                    break;
                case "items" or "additionalProperties" or "not" when value is JsonObject child:
                    target[keyword] = Convert(child);
                    break;
                case "allOf" or "anyOf" or "oneOf" when value is JsonArray children:
                    target[keyword] = new JsonArray([.. children.Select(ConvertSchema)]);
                    break;
                case "nullable" or "exclusiveMinimum" or "exclusiveMaximum" when value is JsonValue:
                    break; // OpenAPI 3.0 modifiers, applied below
                default:
                    target[keyword] = value?.DeepClone();
                    break;
            }
        }

        ApplyOpenApiModifiers(source, target);
        if (source.At(IntOrString).Text() == "true")
        {
            target["type"] = new JsonArray("integer", "string");
        }

        // Structural schemas prune (and strict validation rejects) fields they do not declare.
        if (source.ContainsKey("properties") && !source.ContainsKey("additionalProperties") && source.At(PreserveUnknownFields).Text() != "true")
        {
            target["additionalProperties"] = false;
        }

        return target;
    }

    private static JsonNode? ConvertSchema(JsonNode? node) => node is JsonObject schema ? Convert(schema) : node?.DeepClone();

    // OpenAPI 3.0 writes "may be null" and exclusive bounds as flags beside the type and the bound.
    private static void ApplyOpenApiModifiers(JsonObject source, JsonObject target)
    {
        if (source.At("nullable").Text() == "true" && target.At("type").Text() is { } type)
        {
            target["type"] = new JsonArray(type, "null");
        }

        foreach (var (flag, bound) in new[] { ("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum") })
        {
            if (source.At(flag).Text() == "true" && target[bound] is { } limit)
            {
                target.Remove(bound);
                target[flag] = limit.DeepClone();
            }
        }
    }
}
