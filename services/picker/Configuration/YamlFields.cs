using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Suite.Picker.Configuration;

/// <summary>
/// Typed, validated reads from one YAML mapping. Every problem names the file, the key path and the line;
/// keys nobody read are reported as unknown, so a typo never silently falls back to a default.
/// </summary>
internal sealed class YamlFields
{
    private readonly string _file;
    private readonly string _path;
    private readonly YamlMappingNode _node;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    private YamlFields(string file, string path, YamlMappingNode node)
    {
        _file = file;
        _path = path;
        _node = node;
    }

    /// <summary>The document's root mapping; an empty document reads as an empty mapping.</summary>
    public static YamlFields Root(string file, string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new ConfigurationFileException($"{file} (line {e.Start.Line}): not valid YAML: {e.Message}");
        }

        if (stream.Documents.Count == 0)
        {
            return new YamlFields(file, "", new YamlMappingNode());
        }

        return stream.Documents[0].RootNode is YamlMappingNode root
            ? new YamlFields(file, "", root)
            : throw new ConfigurationFileException($"{file}: the document must be a mapping of keys to values.");
    }

    public string? OptionalString(string key) => Scalar(key)?.Value;

    public string RequiredString(string key) =>
        Scalar(key)?.Value is { Length: > 0 } value ? value : throw Problem(key, null, "is required.");

    public int Int(string key, int fallback, int min, int max)
    {
        var scalar = Scalar(key);
        if (scalar is null)
        {
            return fallback;
        }

        return int.TryParse(scalar.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw Problem(key, scalar, $"must be a whole number from {min} to {max}, not '{scalar.Value}'.");
    }

    public double Double(string key, double fallback, double min, double max)
    {
        var scalar = Scalar(key);
        if (scalar is null)
        {
            return fallback;
        }

        return double.TryParse(scalar.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
               && double.IsFinite(value) && value >= min && value <= max
            ? value
            : throw Problem(key, scalar, $"must be a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}, not '{scalar.Value}'.");
    }

    public bool Bool(string key, bool fallback)
    {
        var scalar = Scalar(key);
        if (scalar is null)
        {
            return fallback;
        }

        return bool.TryParse(scalar.Value, out var value)
            ? value
            : throw Problem(key, scalar, $"must be true or false, not '{scalar.Value}'.");
    }

    /// <summary>A duration written as <c>250ms</c>, <c>2s</c> or <c>1m</c>.</summary>
    public TimeSpan Duration(string key, TimeSpan fallback, TimeSpan min, TimeSpan max)
    {
        var scalar = Scalar(key);
        if (scalar is null)
        {
            return fallback;
        }

        return TryParseDuration(scalar.Value, out var value) && value >= min && value <= max
            ? value
            : throw Problem(key, scalar, $"must be a duration such as 500ms, 2s or 1m between {min.TotalMilliseconds}ms and {max.TotalMilliseconds}ms, not '{scalar.Value}'.");
    }

    public DateTimeOffset? Timestamp(string key)
    {
        var scalar = Scalar(key);
        if (scalar is null)
        {
            return null;
        }

        return DateTimeOffset.TryParse(scalar.Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)
            ? value
            : throw Problem(key, scalar, $"must be an ISO 8601 timestamp, not '{scalar.Value}'.");
    }

    public string[] Strings(string key)
    {
        var node = Node(key);
        if (node is null)
        {
            return [];
        }

        if (node is not YamlSequenceNode sequence)
        {
            throw Problem(key, node, "must be a list of strings.");
        }

        var values = new string[sequence.Children.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = sequence.Children[i] is YamlScalarNode { Value: { Length: > 0 } value }
                ? value
                : throw Problem($"{key}[{i}]", sequence.Children[i], "must be a non-empty string.");
        }

        return values;
    }

    /// <summary>The mappings of a list, each with its own path (<c>scorers[1]</c>).</summary>
    public List<YamlFields> Mappings(string key)
    {
        var node = Node(key);
        if (node is null)
        {
            return [];
        }

        if (node is not YamlSequenceNode sequence)
        {
            throw Problem(key, node, "must be a list.");
        }

        var items = new List<YamlFields>(sequence.Children.Count);
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            items.Add(sequence.Children[i] is YamlMappingNode mapping
                ? new YamlFields(_file, $"{PathOf(key)}[{i}]", mapping)
                : throw Problem($"{key}[{i}]", sequence.Children[i], "must be a mapping of keys to values."));
        }

        return items;
    }

    public YamlFields? Mapping(string key)
    {
        var node = Node(key);
        return node switch
        {
            null => null,
            YamlMappingNode mapping => new YamlFields(_file, PathOf(key), mapping),
            _ => throw Problem(key, node, "must be a mapping of keys to values."),
        };
    }

    /// <summary>Fails on the first key that no read asked for.</summary>
    public void RejectUnknownKeys()
    {
        foreach (var (keyNode, _) in _node.Children)
        {
            // A key can be a list or mapping in YAML; it is still just an unknown key, not a crash on reload.
            var key = keyNode is YamlScalarNode scalar ? scalar.Value ?? "" : keyNode.ToString();
            if (!_read.Contains(key))
            {
                throw Problem(key, keyNode, "is not a known key.");
            }
        }
    }

    public ConfigurationFileException Problem(string key, YamlNode? node, string message)
    {
        var line = node is null ? _node.Start.Line : node.Start.Line;
        return new ConfigurationFileException($"{_file} (line {line}): {PathOf(key)} {message}");
    }

    internal static bool TryParseDuration(string? text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var (number, scale) = text.EndsWith("ms", StringComparison.Ordinal) ? (text[..^2], 1.0)
            : text.EndsWith('s') ? (text[..^1], 1000.0)
            : text.EndsWith('m') ? (text[..^1], 60_000.0)
            : (text, double.NaN);
        // NaN, infinity and amounts past TimeSpan's range parse as numbers, but FromMilliseconds would throw on them.
        if (double.IsNaN(scale) || !double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var amount)
            || amount < 0 || !(amount * scale < TimeSpan.MaxValue.TotalMilliseconds))
        {
            return false;
        }

        value = TimeSpan.FromMilliseconds(amount * scale);
        return true;
    }

    private string PathOf(string key) => _path.Length == 0 ? key : $"{_path}.{key}";

    private YamlNode? Node(string key)
    {
        _read.Add(key);
        return _node.Children.TryGetValue(new YamlScalarNode(key), out var node) && !IsNull(node) ? node : null;
    }

    private YamlScalarNode? Scalar(string key)
    {
        var node = Node(key);
        return node switch
        {
            null => null,
            YamlScalarNode scalar => scalar,
            _ => throw Problem(key, node, "must be a single value."),
        };
    }

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain, Value: null or "" or "~" or "null" };
}
