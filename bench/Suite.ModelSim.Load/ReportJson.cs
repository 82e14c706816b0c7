using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Suite.ModelSim.Load;

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(SweepReport))]
[JsonSerializable(typeof(CostReport))]
internal sealed partial class ReportJsonContext : JsonSerializerContext;

/// <summary>Writes a report as indented JSON, creating the directory.</summary>
internal static class ReportJson
{
    public static void Write<T>(string path, T report, JsonTypeInfo<T> type)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        File.WriteAllText(path, JsonSerializer.Serialize(report, type) + "\n");
        Console.WriteLine($"result written to {path}");
    }
}
