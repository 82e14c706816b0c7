using System.Globalization;

namespace Suite.ModelSim.Load;

/// <summary>The three engine gauges of one <c>/metrics</c> scrape in vLLM's names (one engine per server).</summary>
internal readonly record struct VllmGauges(double KvCacheUsage, double Running, double Waiting)
{
    public static async Task<VllmGauges?> ScrapeAsync(HttpClient http, Uri metrics, CancellationToken cancellation)
    {
        try
        {
            return Parse(await http.GetStringAsync(metrics, cancellation));
        }
        catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !cancellation.IsCancellationRequested))
        {
            // Refused, reset or timed out: a missed sample, not the end of the run.
            return null;
        }
    }

    /// <summary>The gauges, or null when a family is missing (not a vLLM-format scrape).</summary>
    public static VllmGauges? Parse(string text)
    {
        double? kv = null, running = null, waiting = null;
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            if (line.StartsWith("vllm:kv_cache_usage_perc{"))
            {
                kv ??= Value(line);
            }
            else if (line.StartsWith("vllm:num_requests_running{"))
            {
                running ??= Value(line);
            }
            else if (line.StartsWith("vllm:num_requests_waiting{"))
            {
                waiting ??= Value(line);
            }
        }

        return kv is { } k && running is { } r && waiting is { } w ? new VllmGauges(k, r, w) : null;
    }

    // A sample line ends with its value after the last space (no timestamps in these families).
    private static double? Value(ReadOnlySpan<char> line) =>
        double.TryParse(line[(line.LastIndexOf(' ') + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;
}
