using System.Diagnostics.Metrics;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Suite.Host.Hosting;

namespace Suite.Host.Tests.Hosting;

/// <summary>
/// Every metric the Grafana dashboard (deploy/observability/grafana-dashboard.json) queries is one the services
/// emit: read from a scrape of the running suite after real traffic, or, for the few that only appear after a fault
/// or a queued request, declared by an instrument of a running service under exactly that Prometheus name.
/// </summary>
[Collection(EndToEnd.EndToEndRunsAlone.Name)]
public sealed partial class GrafanaDashboardTests(RunningSuite running) : IClassFixture<RunningSuite>
{
    // Recorded only when something goes wrong or a request waits in the queue: a healthy, idle suite has no points.
    private static readonly string[] EventOnly =
    [
        "queue_wait_duration_seconds_bucket", "queue_decisions_total", "queue_depth_by_band", "picker_admission_fallbacks_total",
        "picker_prefix_shared_decisions_total", "collector_publish_failures_total", "catalog_write_failures_total",
        "queue_pressure_publish_failures_total",
    ];

    // PromQL words, and the label names the variables read with label_values(metric, label), that look like metric names.
    private static readonly HashSet<string> NotMetrics = new(StringComparer.Ordinal)
    {
        "sum", "max", "min", "avg", "by", "rate", "histogram_quantile", "le", "without", "on", "ignoring", "group_left",
        "label_values", "count", "name", "model_name",
    };

    private readonly EmbeddedSuite _suite = running.Suite;

    [Fact]
    public void Dashboard_QueriesSomeOfEachServicesMetrics()
    {
        var names = DashboardMetricNames();

        Assert.Contains("inference_objective_request_total", names);
        Assert.Contains("inference_pool_average_kv_cache_utilization", names);
        Assert.Contains("queue_depth", names);
        Assert.Contains("collector_scrapes_total", names);
        Assert.Contains("catalog_resources", names);
    }

    [Fact]
    public async Task Dashboard_EveryMetricItQueries_IsEmittedByAService()
    {
        var declared = DeclaredPrometheusNames();
        using var http = new HttpClient { BaseAddress = _suite.GatewayAddress };
        using (var served = await http.PostAsync(new Uri("/v1/completions", UriKind.Relative), Json("""{"model":"chat-model","prompt":"hello","max_tokens":3}""")))
        {
            Assert.True(served.IsSuccessStatusCode, await served.Content.ReadAsStringAsync());
        }

        using (var refused = await http.PostAsync(new Uri("/v1/completions", UriKind.Relative), Json("""{"model":"chat-model","prompt":""")))
        {
            Assert.Equal(400, (int)refused.StatusCode);
        }

        var scraped = await ScrapedNamesAsync();

        var missing = DashboardMetricNames()
            .Where(name => !scraped.Contains(name) && !(EventOnly.Contains(name) && declared.Contains(name)))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.True(missing.Count == 0, $"The dashboard queries metrics no service emits: {string.Join(", ", missing)}");
    }

    [Fact]
    public void EventOnlyMetrics_AreEachDeclaredByARunningService()
    {
        var declared = DeclaredPrometheusNames();

        Assert.All(EventOnly, name => Assert.Contains(name, declared));
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private async Task<HashSet<string>> ScrapedNamesAsync()
    {
        using var http = new HttpClient();
        var page = await http.GetStringAsync(_suite.MetricsAddress);
        return page.Split('\n')
            .Where(line => line.Length > 0 && line[0] != '#')
            .Select(line => SampleName().Match(line).Value)
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The Prometheus names of every Suite.* instrument published in this process, as the exporter writes them.</summary>
    private static HashSet<string> DeclaredPrometheusNames()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Name.StartsWith("Suite.", StringComparison.Ordinal))
                {
                    lock (names)
                    {
                        names.UnionWith(PrometheusNames(instrument));
                    }
                }
            },
        };
        listener.Start();   // replays every instrument already published
        return names;
    }

    private static IEnumerable<string> PrometheusNames(Instrument instrument)
    {
        var name = instrument.Name.Replace('.', '_');
        if (instrument.Unit == "s" && !name.EndsWith("_seconds", StringComparison.Ordinal))
        {
            name += "_seconds";
        }

        var type = instrument.GetType().GetGenericTypeDefinition();
        if (type == typeof(Counter<>) || type == typeof(ObservableCounter<>))
        {
            return [name.EndsWith("_total", StringComparison.Ordinal) ? name : name + "_total"];
        }

        return type == typeof(Histogram<>) ? [name + "_bucket", name + "_sum", name + "_count"] : [name];
    }

    private static HashSet<string> DashboardMetricNames()
    {
        var path = Path.Combine(RepositoryRoot(), "deploy", "observability", "grafana-dashboard.json");
        var dashboard = JsonNode.Parse(File.ReadAllText(path))!;
        var expressions = dashboard["panels"]!.AsArray()
            .SelectMany(panel => panel!["targets"]?.AsArray() ?? [])
            .Select(target => (string)target!["expr"]!)
            .Concat(dashboard["templating"]!["list"]!.AsArray().Select(variable => (string?)variable!["definition"]).OfType<string>());
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var expression in expressions)
        {
            // Drop label matchers and strings, then every identifier before ( { [ or a comma/space that is not PromQL.
            var bare = Matchers().Replace(expression, "");
            foreach (Match identifier in Identifier().Matches(bare))
            {
                if (!NotMetrics.Contains(identifier.Value))
                {
                    names.Add(identifier.Value);
                }
            }
        }

        return names;
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Suite.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Suite.sln not found above the test's directory.");
    }

    [GeneratedRegex("""^[a-zA-Z_:][a-zA-Z0-9_:]*""")]
    private static partial Regex SampleName();

    // Label matchers {…}, "by (…)" lists, range selectors […] and quantile numbers carry no metric names.
    [GeneratedRegex("""\{[^}]*\}|\b(by|without)\s*\([^)]*\)|\[[^\]]*\]|"[^"]*"|\b\d+(\.\d+)?\b""")]
    private static partial Regex Matchers();

    [GeneratedRegex("""\b[a-zA-Z_][a-zA-Z0-9_]*\b""")]
    private static partial Regex Identifier();
}
