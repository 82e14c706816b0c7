using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Suite.MetricsCollector.Scraping;

/// <summary>A label that a series must carry with exactly this (unescaped) value.</summary>
internal sealed record LabelFilter(string Name, string Value);

/// <summary>
/// The series of one metric family, optionally only those with one label value (Triton puts waiting and
/// scheduled requests in one family, told apart by <c>request_type</c>). Written in configuration as
/// <c>family</c> or <c>family{label="value"}</c>.
/// </summary>
internal sealed record MetricSelector(string Family, LabelFilter? Filter = null)
{
    public static bool TryParse(string text, [NotNullWhen(true)] out MetricSelector? selector, [NotNullWhen(false)] out string? problem)
    {
        selector = null;
        var brace = text.IndexOf('{', StringComparison.Ordinal);
        var family = brace < 0 ? text : text[..brace];
        if (!IsMetricName(family))
        {
            problem = "is not a valid Prometheus metric name";
            return false;
        }

        if (brace < 0)
        {
            selector = new MetricSelector(family);
            problem = null;
            return true;
        }

        if (!TryParseFilter(text.AsSpan(brace), out var filter))
        {
            problem = "has an unsupported label filter (only one {label=\"value\"} is understood)";
            return false;
        }

        selector = new MetricSelector(family, filter);
        problem = null;
        return true;
    }

    /// <summary><c>[a-zA-Z_:][a-zA-Z0-9_:]*</c>, as the exposition format defines metric names.</summary>
    public static bool IsMetricName(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty || char.IsAsciiDigit(name[0]))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not '_' and not ':')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary><c>[a-zA-Z_][a-zA-Z0-9_]*</c>.</summary>
    public static bool IsLabelName(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty || char.IsAsciiDigit(name[0]))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The value as it appears between the quotes of a page, so a scanner can compare raw bytes.</summary>
    public static string EscapeLabelValue(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    public override string ToString() =>
        Filter is null ? Family : $"{Family}{{{Filter.Name}=\"{EscapeLabelValue(Filter.Value)}\"}}";

    // Accepts exactly {name="value"}; the value may use the format's three escapes.
    private static bool TryParseFilter(ReadOnlySpan<char> text, [NotNullWhen(true)] out LabelFilter? filter)
    {
        filter = null;
        var equals = text.IndexOf('=');
        if (equals < 0 || !IsLabelName(text[1..equals]) || equals + 1 >= text.Length || text[equals + 1] != '"' || text[^1] != '}')
        {
            return false;
        }

        var quoted = text[(equals + 2)..^1];
        var value = new StringBuilder(quoted.Length);
        for (var i = 0; i < quoted.Length; i++)
        {
            var c = quoted[i];
            if (c == '"')
            {
                // Only the closing quote may stand unescaped, and it must be last.
                if (i != quoted.Length - 1)
                {
                    return false;
                }

                filter = new LabelFilter(text[1..equals].ToString(), value.ToString());
                return true;
            }

            if (c == '\\')
            {
                if (++i >= quoted.Length)
                {
                    return false;
                }

                switch (quoted[i])
                {
                    case '\\': value.Append('\\'); break;
                    case '"': value.Append('"'); break;
                    case 'n': value.Append('\n'); break;
                    default: return false;
                }

                continue;
            }

            value.Append(c);
        }

        return false;
    }
}
