using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using Suite.Messaging;
using Suite.Queue.Pressure;

namespace Suite.Queue.Tests.Pressure;

/// <summary>The gauges through the OpenTelemetry Prometheus exporter the queue uses: the names a dashboard queries.</summary>
public sealed class PrometheusExportTests
{
    [Fact]
    public async Task Scrape_GaugesUnderTheirPrometheusNames()
    {
        var source = new FakePoolPressureSource();
        source.Set("scraped-pool", 1.25, ("llama", 0, 3), ("sql-lora", -1, 1));
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IPoolPressureSource>(source);
        builder.Services.AddSingleton<IEventPublisher>(new RecordingEventPublisher());
        builder.Services.AddPoolPressureReporting();
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(PoolPressureMetrics.MeterName)
            .AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0));
        await using var app = builder.Build();
        app.MapPrometheusScrapingEndpoint("/metrics");
        await app.StartAsync();

        var page = await app.GetTestClient().GetStringAsync(new Uri("/metrics", UriKind.Relative));

        // The exporter listens to every Suite.Queue meter in the process, other tests' too: this pool's lines only. They
        // come in the order of the pressure's dictionaries, which varies between runs: sorted.

        Assert.Equal(
            [
                "pool_saturation{otel_scope_name=\"Suite.Queue\",pool=\"scraped-pool\"} 1.25",
                "queue_depth_by_band{otel_scope_name=\"Suite.Queue\",band=\"-1\",pool=\"scraped-pool\"} 1",
                "queue_depth_by_band{otel_scope_name=\"Suite.Queue\",band=\"0\",pool=\"scraped-pool\"} 3",
                "queue_depth_by_model{otel_scope_name=\"Suite.Queue\",model=\"llama\",pool=\"scraped-pool\"} 3",
                "queue_depth_by_model{otel_scope_name=\"Suite.Queue\",model=\"sql-lora\",pool=\"scraped-pool\"} 1",
                "queue_depth{otel_scope_name=\"Suite.Queue\",pool=\"scraped-pool\"} 4",
            ],
            page.Split('\n')
                .Where(line => line.Contains("pool=\"scraped-pool\"", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal));
    }
}
