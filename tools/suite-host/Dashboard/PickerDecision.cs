using System.Collections.Immutable;
using System.Globalization;

namespace Suite.Host.Dashboard;

/// <summary>
/// What the dashboard reads from the picker's <c>x-picker-decision</c> text, e.g.
/// <c>picked=10.0.0.2:8000 candidates=4; 10.0.0.2:8000 total=5.600 queue-depth=1.000 kv-cache=0.800; 10.0.0.3:8000 total=…</c>:
/// the picked endpoint, how many were scored, and the picked endpoint's scores when it is among those listed.
/// </summary>
internal sealed record PickerDecision(string Picked, int? Candidates, double? Total, ImmutableArray<ScorerScore> Scores)
{
    /// <summary>Null when there is no explanation or it does not start with <c>picked=</c>.</summary>
    public static PickerDecision? Parse(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var segments = text.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        string? picked = null;
        int? candidates = null;
        foreach (var token in segments[0].Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (token.StartsWith("picked=", StringComparison.Ordinal))
            {
                picked = token["picked=".Length..];
            }
            else if (token.StartsWith("candidates=", StringComparison.Ordinal)
                && int.TryParse(token.AsSpan("candidates=".Length), NumberStyles.None, CultureInfo.InvariantCulture, out var count))
            {
                candidates = count;
            }
        }

        if (picked is not { Length: > 0 })
        {
            return null;
        }

        // A weighted-random or round-robin picker may choose an endpoint outside the listed top candidates.
        for (var i = 1; i < segments.Length; i++)
        {
            var tokens = segments[i].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (tokens.Length > 0 && string.Equals(tokens[0], picked, StringComparison.Ordinal))
            {
                return Scored(picked, candidates, tokens);
            }
        }

        return new PickerDecision(picked, candidates, null, []);
    }

    private static PickerDecision Scored(string picked, int? candidates, string[] tokens)
    {
        double? total = null;
        var scores = ImmutableArray.CreateBuilder<ScorerScore>(tokens.Length);
        for (var t = 1; t < tokens.Length; t++)
        {
            var equals = tokens[t].IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0
                || !double.TryParse(tokens[t].AsSpan(equals + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                continue;
            }

            var name = tokens[t][..equals];
            if (name == "total")
            {
                total = value;
            }
            else
            {
                scores.Add(new ScorerScore(name, value));
            }
        }

        return new PickerDecision(picked, candidates, total, scores.ToImmutable());
    }
}
