using System.Text.Json;

namespace Suite.ModelSim.OpenAi;

/// <summary>OpenAI-style error answers: <c>{"error": {"message", "type", "param", "code"}}</c>.</summary>
internal static class OpenAiErrors
{
    public static async Task WriteAsync(HttpContext http, int status, string message, string? param = null)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        using var json = new Utf8JsonWriter(http.Response.BodyWriter, JsonOutput.Options);
        json.WriteStartObject();
        json.WriteStartObject("error");
        json.WriteString("message", message);
        json.WriteString("type", TypeOf(status));
        if (param is null)
        {
            json.WriteNull("param");
        }
        else
        {
            json.WriteString("param", param);
        }

        json.WriteNumber("code", status);
        json.WriteEndObject();
        json.WriteEndObject();
        json.Flush();
        await http.Response.BodyWriter.FlushAsync(http.RequestAborted);
    }

    private static string TypeOf(int status) => status switch
    {
        StatusCodes.Status400BadRequest => "BadRequestError",
        StatusCodes.Status404NotFound => "NotFoundError",
        StatusCodes.Status429TooManyRequests => "RateLimitError",
        _ => "InternalServerError",
    };
}
