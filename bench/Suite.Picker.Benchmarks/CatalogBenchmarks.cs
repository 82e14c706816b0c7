using BenchmarkDotNet.Attributes;
using Suite.Contracts.Catalog;
using Suite.Picker.Catalog;
using Suite.Picker.Scheduling;

namespace Suite.Picker.Benchmarks;

/// <summary>
/// The per-request catalog work: classify a request (model name → target by weight, objective → priority) against
/// a pool catalog of 100 InferenceModels with 90/10 splits, 50 exact rewrites, a catch-all and 10 objectives.
/// One case per resolution path.
/// </summary>
public class CatalogBenchmarks
{
    private readonly IRandomSource _random = new SeededRandomSource(7);
    private CatalogIndex _catalog = null!;

    [Params("model", "exact-rewrite", "catch-all")]
    public string Path { get; set; } = "model";

    private string Requested => Path switch
    {
        "model" => "model-42",
        "exact-rewrite" => "alias-17",
        _ => "nobody-declared-this",
    };

    [GlobalSetup]
    public void Setup()
    {
        var models = Enumerable.Range(0, 100)
            .Select(i => new CatalogModel($"model-{i}", Criticality.Standard, [new CatalogTarget($"model-{i}-v1", 90), new CatalogTarget($"model-{i}-v2", 10)]));
        var rewrites = Enumerable.Range(0, 50)
            .Select(i => new CatalogRewrite($"alias-{i}", [new CatalogTarget($"model-{i}", 3), new CatalogTarget($"model-{i + 50}", 1)]))
            .Append(new CatalogRewrite(null, [new CatalogTarget("model-0", 1)]));
        var objectives = Enumerable.Range(0, 10).Select(i => new CatalogObjective($"objective-{i}", i - 5));
        _catalog = new CatalogIndex(new CatalogSnapshot("bench-pool", 1, DateTimeOffset.UnixEpoch, [.. models], [.. objectives], [.. rewrites]));
    }

    [Benchmark]
    public RequestClassification Classify() =>
        RequestClassification.Classify(Requested, "objective-3", "tenant-a", _catalog, _random);
}
