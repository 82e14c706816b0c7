using System.Text.Json;
using Suite.ModelSim.Hosting;
using Suite.ModelSim.OpenAi;

namespace Suite.ModelSim.Lora;

/// <summary>vLLM's runtime LoRA API: <c>POST /v1/load_lora_adapter</c> and <c>POST /v1/unload_lora_adapter</c>.</summary>
internal static class LoraEndpoints
{
    public static async Task LoadAsync(HttpContext http, SimulatorInstance instance)
    {
        var (name, path, problem) = await ReadAsync(http, requirePath: true);
        if (problem is not null)
        {
            await OpenAiErrors.WriteAsync(http, StatusCodes.Status400BadRequest, problem);
            return;
        }

        if (instance.Profile.MaxLoras == 0)
        {
            await OpenAiErrors.WriteAsync(http, StatusCodes.Status400BadRequest, "LoRA is not enabled on this server (MaxLoras is 0).");
            return;
        }

        var added = instance.Engine.Read(core => core.Adapters.Register(name!, path!));
        if (!added)
        {
            await OpenAiErrors.WriteAsync(http, StatusCodes.Status400BadRequest, $"The lora adapter '{name}' has already been loaded.", "lora_name");
            return;
        }

        await http.Response.WriteAsync($"Success: LoRA adapter '{name}' added successfully.", http.RequestAborted);
    }

    public static async Task UnloadAsync(HttpContext http, SimulatorInstance instance)
    {
        var (name, _, problem) = await ReadAsync(http, requirePath: false);
        if (problem is not null)
        {
            await OpenAiErrors.WriteAsync(http, StatusCodes.Status400BadRequest, problem);
            return;
        }

        if (!instance.Engine.Read(core => core.Adapters.Unregister(name!)))
        {
            await OpenAiErrors.WriteAsync(http, StatusCodes.Status404NotFound, $"The lora adapter '{name}' cannot be found.", "lora_name");
            return;
        }

        await http.Response.WriteAsync($"Success: LoRA adapter '{name}' removed successfully.", http.RequestAborted);
    }

    private static async Task<(string? Name, string? Path, string? Problem)> ReadAsync(HttpContext http, bool requirePath)
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted);
            var root = document.RootElement;
            var name = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("lora_name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
            var path = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("lora_path", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
            if (string.IsNullOrEmpty(name))
            {
                return (null, null, "`lora_name` must be a non-empty string.");
            }

            return requirePath && string.IsNullOrEmpty(path) ? (null, null, "`lora_path` must be a non-empty string.") : (name, path, null);
        }
        catch (JsonException e)
        {
            return (null, null, $"The request body is not valid JSON: {e.Message}");
        }
    }
}
