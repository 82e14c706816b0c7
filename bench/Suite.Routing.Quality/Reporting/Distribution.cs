using System.Globalization;
using System.Text.Json.Nodes;

namespace Suite.Routing.Quality.Reporting;

/// <summary>Exact order statistics (nearest rank) of every sample kept, in milliseconds unless said otherwise.</summary>
internal sealed record Distribution(int Count, double P50, double P90, double P99, double Max, double Mean)
{
    public static Distribution? Of(IEnumerable<double> samples)
    {
        var sorted = samples.Order().ToArray();
        return sorted.Length == 0
            ? null
            : new Distribution(sorted.Length, Rank(sorted, 0.50), Rank(sorted, 0.90), Rank(sorted, 0.99), sorted[^1], sorted.Average());
    }

    public JsonObject ToJson() => new()
    {
        ["count"] = Count,
        ["p50"] = Round(P50),
        ["p90"] = Round(P90),
        ["p99"] = Round(P99),
        ["max"] = Round(Max),
        ["mean"] = Round(Mean),
    };

    /// <summary>Milliseconds as the tables print them: whole below 10 s, else seconds with one decimal.</summary>
    public static string Ms(double? value) => value switch
    {
        null => "–",
        < 10_000 => value.Value.ToString("0", CultureInfo.InvariantCulture),
        _ => (value.Value / 1000).ToString("0.0", CultureInfo.InvariantCulture) + " s",
    };

    /// <summary>A duration with its unit: ms below 10 s, else s.</summary>
    public static string Duration(double? value) => value is < 10_000 ? Ms(value) + " ms" : Ms(value);

    private static double Rank(double[] sorted, double quantile) =>
        sorted[Math.Clamp((int)Math.Ceiling(quantile * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static double Round(double value) => Math.Round(value, 2);
}
