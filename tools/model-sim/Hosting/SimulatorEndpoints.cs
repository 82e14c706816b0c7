using System.Text.Json;
using Suite.ModelSim.Faults;
using Suite.ModelSim.Lora;
using Suite.ModelSim.Metrics;
using Suite.ModelSim.OpenAi;

namespace Suite.ModelSim.Hosting;

/// <summary>The HTTP surface of one instance: vLLM's OpenAI server routes plus <c>/sim/faults</c>.</summary>
internal static class SimulatorEndpoints
{
    public const string PodHeader = "x-inference-pod";

    public static void MapSimulator(this WebApplication app, SimulatorInstance instance)
    {
        var lora = new LoraSeriesHistory();
        app.Use((http, next) =>
        {
            http.Response.Headers[PodHeader] = instance.Name;
            return next(http);
        });

        app.MapPost("/v1/completions", (HttpContext http) => CompletionEndpoint.HandleAsync(http, instance, isChat: false));
        app.MapPost("/v1/chat/completions", (HttpContext http) => CompletionEndpoint.HandleAsync(http, instance, isChat: true));
        app.MapGet("/v1/models", (HttpContext http) => WriteModelsAsync(http, instance));
        app.MapGet("/health", () => Results.Ok());
        app.MapPost("/v1/load_lora_adapter", (HttpContext http) => LoraEndpoints.LoadAsync(http, instance));
        app.MapPost("/v1/unload_lora_adapter", (HttpContext http) => LoraEndpoints.UnloadAsync(http, instance));
        app.MapGet("/metrics", async (HttpContext http) =>
        {
            if (instance.Faults.MetricsSilent)
            {
                await Task.Delay(Timeout.Infinite, http.RequestAborted); // the injected fault: never answer
            }

            var snapshot = instance.Engine.Read(EngineSnapshot.Take);
            var text = MetricsText.Write(snapshot, instance.Profile, instance.MetricsFormat, lora, DateTimeOffset.UtcNow);
            http.Response.ContentType = MetricsText.ContentType;
            await http.Response.WriteAsync(text, http.RequestAborted);
        });
        app.MapGet("/sim/faults", () => Results.Json(instance.Faults, SimulatorJson.Default.FaultSettings));
        app.MapPut("/sim/faults", async (HttpContext http) =>
        {
            FaultSettings? faults;
            try
            {
                faults = await JsonSerializer.DeserializeAsync(http.Request.Body, SimulatorJson.Default.FaultSettings, http.RequestAborted);
            }
            catch (JsonException e)
            {
                await OpenAiErrors.WriteAsync(http, StatusCodes.Status400BadRequest, $"The request body is not valid fault settings: {e.Message}");
                return;
            }

            var problems = faults?.Validate() ?? ["The request body must be a JSON object."];
            if (problems.Count > 0)
            {
                await OpenAiErrors.WriteAsync(http, StatusCodes.Status400BadRequest, string.Join("; ", problems));
                return;
            }

            instance.Faults = faults!;
            await http.Response.WriteAsJsonAsync(faults!, SimulatorJson.Default.FaultSettings, cancellationToken: http.RequestAborted);
        });
    }

    private static async Task WriteModelsAsync(HttpContext http, SimulatorInstance instance)
    {
        var profile = instance.Profile;
        var adapters = instance.Engine.Read(core => core.Adapters.Registered.OrderBy(a => a.Key, StringComparer.Ordinal).ToArray());
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        http.Response.ContentType = "application/json";
        using var json = new Utf8JsonWriter(http.Response.BodyWriter, JsonOutput.Options);
        json.WriteStartObject();
        json.WriteString("object", "list");
        json.WriteStartArray("data");
        WriteModel(json, profile.ModelName, profile.ModelName, null, created, profile.MaxModelLen);
        foreach (var (name, path) in adapters)
        {
            WriteModel(json, name, path, profile.ModelName, created, profile.MaxModelLen);
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
        await http.Response.BodyWriter.FlushAsync(http.RequestAborted);
    }

    private static void WriteModel(Utf8JsonWriter json, string id, string root, string? parent, long created, int maxModelLen)
    {
        json.WriteStartObject();
        json.WriteString("id", id);
        json.WriteString("object", "model");
        json.WriteNumber("created", created);
        json.WriteString("owned_by", "vllm");
        json.WriteString("root", root);
        if (parent is null)
        {
            json.WriteNull("parent");
        }
        else
        {
            json.WriteString("parent", parent);
        }

        json.WriteNumber("max_model_len", maxModelLen);
        json.WriteEndObject();
    }
}
