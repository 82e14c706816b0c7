using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Suite.Kubernetes.Manifests;

/// <summary>
/// YAML nodes as JSON, so manifests deserialise through <c>KubernetesJson</c> exactly as API responses do,
/// and JSON paths back to YAML lines, so a type error can name the line it came from.
/// </summary>
public static partial class YamlJson
{
    private const string StringTag = "tag:yaml.org,2002:str";

    /// <summary>The node as JSON; plain scalars follow the YAML 1.2 core schema (null, booleans, numbers).</summary>
    public static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode mapping => ToJsonObject(mapping),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(ToJson)]),
        YamlScalarNode scalar => ToJsonValue(scalar),
        _ => throw new YamlException(node.Start, node.End, $"unsupported YAML node {node.NodeType}"),
    };

    /// <summary>
    /// The deepest node a System.Text.Json path (<c>$.spec.ports[0]['a.b']</c>) reaches from <paramref name="root"/>;
    /// the root itself when the first step already misses.
    /// </summary>
    public static YamlNode Find(YamlNode root, string? jsonPath)
    {
        var node = root;
        if (string.IsNullOrEmpty(jsonPath))
        {
            return node;
        }

        foreach (Match step in PathStep().Matches(jsonPath))
        {
            YamlNode? next = null;
            if (step.Groups["index"].Success)
            {
                if (node is YamlSequenceNode sequence && int.TryParse(step.Groups["index"].ValueSpan, out var index) && index < sequence.Children.Count)
                {
                    next = sequence.Children[index];
                }
            }
            else if (node is YamlMappingNode mapping)
            {
                var key = step.Groups["quoted"].Success ? step.Groups["quoted"].Value : step.Groups["name"].Value;
                mapping.Children.TryGetValue(new YamlScalarNode(key), out next);
            }

            if (next is null)
            {
                break;
            }

            node = next;
        }

        return node;
    }

    private static JsonObject ToJsonObject(YamlMappingNode mapping)
    {
        var json = new JsonObject();
        foreach (var (key, value) in mapping.Children)
        {
            if (key is not YamlScalarNode { Value: { } name })
            {
                throw new YamlException(key.Start, key.End, "a mapping key must be a plain value");
            }

            json[name] = ToJson(value);
        }

        return json;
    }

    private static JsonValue? ToJsonValue(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        var explicitString = !scalar.Tag.IsEmpty && !scalar.Tag.IsNonSpecific && scalar.Tag.Value == StringTag;
        if (scalar.Style != ScalarStyle.Plain || explicitString)
        {
            return JsonValue.Create(text);
        }

        return text switch
        {
            "" or "~" or "null" or "Null" or "NULL" => null,
            "true" or "True" or "TRUE" => JsonValue.Create(true),
            "false" or "False" or "FALSE" => JsonValue.Create(false),
            _ when JsonNumber().IsMatch(text) => JsonNode.Parse(text)!.AsValue(),
            _ => JsonValue.Create(text),
        };
    }

    // Only literals JSON itself accepts become numbers; 0x1F, 1_000 or 0755 stay text rather than guess a base.
    [GeneratedRegex(@"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex JsonNumber();

    [GeneratedRegex(@"\['(?<quoted>(?:[^']|'(?!\]))*)'\]|\[(?<index>[0-9]+)\]|\.(?<name>[^.\[]+)", RegexOptions.CultureInvariant)]
    private static partial Regex PathStep();
}
