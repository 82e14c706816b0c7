using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Suite.Collector.Load.Cost;
using Suite.Collector.Load.Freshness;

namespace Suite.Collector.Load.Reporting;

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(CostResult))]
[JsonSerializable(typeof(FreshnessResult))]
internal sealed partial class ResultJson : JsonSerializerContext;

internal static class ResultFiles
{
    public static async Task WriteAsync<T>(string path, T result, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } folder)
        {
            Directory.CreateDirectory(folder);
        }

        await using var file = File.Create(path);
        await JsonSerializer.SerializeAsync(file, result, type, cancellationToken);
        await file.WriteAsync("\n"u8.ToArray(), cancellationToken);
    }
}
