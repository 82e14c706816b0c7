using System.Globalization;

namespace Suite.Collector.Load.Cost;

/// <summary>The collector's own counters as its Prometheus page reports them (totals since it started).</summary>
internal sealed record CollectorCounters(
    double ScrapesOk, double ScrapesFailed, double Rounds, double RoundSeconds, double ScrapeSeconds, double SnapshotsPublished)
{
    public CollectorCounters Minus(CollectorCounters earlier) => new(
        ScrapesOk - earlier.ScrapesOk,
        ScrapesFailed - earlier.ScrapesFailed,
        Rounds - earlier.Rounds,
        RoundSeconds - earlier.RoundSeconds,
        ScrapeSeconds - earlier.ScrapeSeconds,
        SnapshotsPublished - earlier.SnapshotsPublished);
}

/// <summary>
/// Reads the meter <c>Suite.MetricsCollector</c> (scrapes by result, round and scrape durations, snapshots
/// published) from the collector's <c>/metrics</c> page, in the OpenTelemetry Prometheus exporter's names. Null
/// when the collector serves no such page, so the cost run still works with builds that do not export them.
/// </summary>
internal static class CollectorSelfMetrics
{
    public static async Task<CollectorCounters?> ReadAsync(HttpClient http, Uri page, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            using var response = await http.GetAsync(page, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return null;
            }

            text = await response.Content.ReadAsStringAsync(cancellationToken);
        }
        catch (HttpRequestException)
        {
            return null;
        }

        double ok = 0, failed = 0, rounds = 0, roundSeconds = 0, scrapeSeconds = 0, published = 0;
        var seen = false;
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#' || !TrySample(line, out var name, out var labels, out var value))
            {
                continue;
            }

            switch (name)
            {
                case "collector_scrapes_total":
                    seen = true;
                    if (labels.Contains("result=\"ok\"", StringComparison.Ordinal))
                    {
                        ok += value;
                    }
                    else
                    {
                        failed += value;
                    }

                    break;
                case "collector_round_duration_seconds_count":
                    seen = true;
                    rounds += value;
                    break;
                case "collector_round_duration_seconds_sum":
                    roundSeconds += value;
                    break;
                case "collector_scrape_duration_seconds_sum":
                    scrapeSeconds += value;
                    break;
                case "collector_snapshots_published_total":
                    published += value;
                    break;
            }
        }

        return seen ? new CollectorCounters(ok, failed, rounds, roundSeconds, scrapeSeconds, published) : null;
    }

    // name{labels} value [timestamp]   or   name value [timestamp]
    private static bool TrySample(string line, out string name, out string labels, out double value)
    {
        var brace = line.IndexOf('{', StringComparison.Ordinal);
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        int valueStart;
        if (brace >= 0 && (space < 0 || brace < space))
        {
            var close = line.LastIndexOf('}');
            name = line[..brace];
            labels = close > brace ? line[(brace + 1)..close] : "";
            valueStart = close + 1;
        }
        else
        {
            name = space < 0 ? line : line[..space];
            labels = "";
            valueStart = space < 0 ? line.Length : space;
        }

        var rest = line[valueStart..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        value = 0;
        return rest.Length > 0 && double.TryParse(rest[0], NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }
}
