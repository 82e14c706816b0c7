using System.Text;
using Suite.MetricsCollector.Scraping;
using Xunit.Abstractions;
using static Suite.MetricsCollector.Tests.Scraping.Pages;

namespace Suite.MetricsCollector.Tests.Scraping;

public sealed class VllmPageTests(ITestOutputHelper output)
{
    [Fact]
    public void Parse_Vllm010Page_ReadsEveryValue()
    {
        var scraped = Parse(VllmPages.TwoEngines);

        Assert.Null(scraped.Error);
        Assert.Equal(3, scraped.Waiting);
        Assert.Equal(21, scraped.Running);
        Assert.Equal(0.4123, scraped.KvCacheUsage);
        Assert.Equal("meta-llama/Llama-3.1-8B-Instruct", scraped.ModelName);
        Assert.Equal(4, scraped.MaxLora);
        Assert.Equal<string>(["sql-lora", "code-lora"], scraped.RunningAdapters);
        Assert.Equal<string>(["chat-lora"], scraped.WaitingAdapters);
        Assert.Equal(16, scraped.BlockSize);
        Assert.Equal(27_000, scraped.BlockCount);
    }

    [Fact]
    public void Parse_GeneratedPageForSixteenEngines_SumsAndMaximisesOverEngines()
    {
        var scraped = Parse(VllmPages.Realistic(engines: 16));

        Assert.Null(scraped.Error);
        Assert.Equal(15, scraped.Waiting); // Σ e % 3 for e < 16
        Assert.Equal(248, scraped.Running); // Σ 8 + e
        Assert.Equal(0.25 + (15 / 100.0), scraped.KvCacheUsage); // engine 15, as the page printed it
        Assert.Equal<string>(["sql-lora", "code-lora"], scraped.RunningAdapters);
    }

    [Fact]
    public void Parse_LargeVllmPage_AllocatesOnlyTheResultAndItsStrings()
    {
        var scanner = new PrometheusTextScanner(EngineMetricNames.Vllm);
        var small = Encoding.UTF8.GetBytes(VllmPages.Realistic(engines: 1));
        var large = Encoding.UTF8.GetBytes(VllmPages.Realistic(engines: 16));
        for (var i = 0; i < 3; i++)
        {
            // First calls pay for JIT and statics; those are not the parser's per-scrape cost.
            Assert.True(scanner.Parse(small).Succeeded);
            Assert.True(scanner.Parse(large).Succeeded);
        }

        // The least of five: a tier-up or a runtime stub now and then lands on this thread mid-call (seen once in CI).
        var smallBytes = Enumerable.Range(0, 5).Min(_ => AllocatedBy(() => scanner.Parse(small)));
        var largeBytes = Enumerable.Range(0, 5).Min(_ => AllocatedBy(() => scanner.Parse(large)));
        var lines = large.AsSpan().Count((byte)'\n');
        output.WriteLine($"{large.Length:N0} bytes, {lines:N0} lines: {largeBytes} bytes allocated; 1 engine, {small.Length:N0} bytes: {smallBytes}");

        Assert.True(lines > 5_000, $"the page has only {lines} lines");
        // Nothing per line: sixteen engines' worth of skipped lines cost what one engine's do.
        Assert.Equal(smallBytes, largeBytes);
        // The result (~100 B), the model name (88 B), three adapter names (3 × 40 B) and their two arrays (~72 B)
        // come to ~380 B. One object per skipped line would be over 100 KB here.
        Assert.InRange(largeBytes, 1, 512);
    }

    private static long AllocatedBy(Func<ScrapedMetrics> parse)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var scraped = parse();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(scraped.Succeeded, scraped.Error);
        return allocated;
    }
}
