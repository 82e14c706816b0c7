using System.Text;
using Suite.MetricsCollector.Scraping;

namespace Suite.MetricsCollector.Tests.Scraping;

internal static class Pages
{
    /// <summary>The three required vLLM families, one unlabelled series each.</summary>
    public const string RequiredVllm = """
        vllm:num_requests_waiting 3
        vllm:num_requests_running 2
        vllm:kv_cache_usage_perc 0.5

        """;

    public static ScrapedMetrics Parse(string page, EngineMetricNames? names = null) =>
        new PrometheusTextScanner(names ?? EngineMetricNames.Vllm).Parse(Encoding.UTF8.GetBytes(page));
}
