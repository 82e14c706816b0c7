using System.Text.Encodings.Web;
using System.Text.Json;

namespace Suite.ModelSim.OpenAi;

internal static class JsonOutput
{
    /// <summary>JSON for API clients, not HTML: backticks and quotes in messages stay readable.</summary>
    public static JsonWriterOptions Options { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
