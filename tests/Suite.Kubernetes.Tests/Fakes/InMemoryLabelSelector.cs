using System.Text.Json.Nodes;

namespace Suite.Kubernetes.Tests.Fakes;

/// <summary>
/// The equality-based part of a label selector (<c>app=vllm,tier!=cpu,gpu,!spot</c>), enough for the tests' pod and
/// custom-resource filters; a set-based term (<c>in</c>, <c>notin</c>) is refused rather than ignored.
/// </summary>
internal sealed class InMemoryLabelSelector
{
    public static readonly InMemoryLabelSelector Everything = new([]);

    private readonly IReadOnlyList<Func<JsonObject?, bool>> _terms;

    private InMemoryLabelSelector(IReadOnlyList<Func<JsonObject?, bool>> terms) => _terms = terms;

    /// <returns>Null when the selector uses syntax this server does not understand.</returns>
    public static InMemoryLabelSelector? Parse(string? selector)
    {
        if (string.IsNullOrWhiteSpace(selector))
        {
            return Everything;
        }

        var terms = new List<Func<JsonObject?, bool>>();
        foreach (var raw in selector.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (raw.Contains(' ', StringComparison.Ordinal) || raw.Contains('(', StringComparison.Ordinal))
            {
                return null;
            }

            var op = raw.Contains("!=", StringComparison.Ordinal) ? "!=" : raw.Contains("==", StringComparison.Ordinal) ? "==" : raw.Contains('=', StringComparison.Ordinal) ? "=" : null;
            if (op is not null)
            {
                var parts = raw.Split(op, 2);
                var (key, value) = (parts[0], parts[1]);
                terms.Add(op == "!=" ? labels => LabelOf(labels, key) != value : labels => LabelOf(labels, key) == value);
            }
            else if (raw.StartsWith('!'))
            {
                var key = raw[1..];
                terms.Add(labels => LabelOf(labels, key) is null);
            }
            else
            {
                terms.Add(labels => LabelOf(labels, raw) is not null);
            }
        }

        return new InMemoryLabelSelector(terms);
    }

    public bool Matches(JsonObject resource)
    {
        var labels = resource["metadata"]?["labels"] as JsonObject;
        foreach (var term in _terms)
        {
            if (!term(labels))
            {
                return false;
            }
        }

        return true;
    }

    private static string? LabelOf(JsonObject? labels, string key) => labels?[key]?.GetValue<string>();
}
