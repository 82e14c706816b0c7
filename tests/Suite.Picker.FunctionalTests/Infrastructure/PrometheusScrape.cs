using System.Globalization;
using System.Text.RegularExpressions;

namespace Suite.Picker.FunctionalTests.Infrastructure;

/// <summary>The samples of one Prometheus text-format scrape, looked up by name and exact label set.</summary>
public sealed partial class PrometheusScrape(string text)
{
    public string Text { get; } = text;

    public IReadOnlyList<Sample> Samples { get; } = Parse(text);

    /// <summary>The value of the one sample named <paramref name="name"/> whose labels are exactly <paramref name="labels"/> (ignoring <c>otel_scope_*</c>).</summary>
    public double Value(string name, params (string Key, string Value)[] labels)
    {
        var wanted = labels.ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal);
        var matches = Samples.Where(s => s.Name == name && SameLabels(s.Labels, wanted)).ToList();
        return matches.Count == 1
            ? matches[0].Value
            : throw new InvalidOperationException(
                $"{matches.Count} samples of {name} with labels {{{string.Join(',', labels.Select(l => $"{l.Key}=\"{l.Value}\""))}}}; the scrape:\n{Text}");
    }

    public IEnumerable<string> Names => Samples.Select(s => s.Name).Distinct(StringComparer.Ordinal);

    private static bool SameLabels(IReadOnlyDictionary<string, string> actual, Dictionary<string, string> wanted) =>
        actual.Where(l => !l.Key.StartsWith("otel_scope_", StringComparison.Ordinal)).Count() == wanted.Count
        && wanted.All(w => actual.TryGetValue(w.Key, out var value) && value == w.Value);

    private static List<Sample> Parse(string text)
    {
        var samples = new List<Sample>();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var match = SampleLine().Match(line);
            if (!match.Success)
            {
                throw new FormatException($"Not a Prometheus sample line: {line}");
            }

            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (Match label in LabelPair().Matches(match.Groups["labels"].Value))
            {
                labels[label.Groups["key"].Value] = label.Groups["value"].Value.Replace("\\\"", "\"", StringComparison.Ordinal);
            }

            samples.Add(new Sample(match.Groups["name"].Value, labels, double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture)));
        }

        return samples;
    }

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>[^ ]+)( [0-9]+)?$""")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"(?<key>[a-zA-Z_][a-zA-Z0-9_]*)=""(?<value>(\\.|[^""\\])*)""")]
    private static partial Regex LabelPair();

    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);
}
