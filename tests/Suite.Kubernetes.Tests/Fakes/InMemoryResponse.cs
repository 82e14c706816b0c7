using System.Text.Json.Nodes;

namespace Suite.Kubernetes.Tests.Fakes;

/// <summary>What the in-memory API server answers: a status code and a JSON body (an object, a list or a Status).</summary>
internal sealed record InMemoryResponse(int StatusCode, string Json)
{
    public static InMemoryResponse Ok(JsonNode body) => new(200, body.ToJsonString());

    public static InMemoryResponse Created(JsonNode body) => new(201, body.ToJsonString());

    public static InMemoryResponse NoSuchResource() => Failure(404, "NotFound", "the server could not find the requested resource");

    public static InMemoryResponse NotFound(InMemoryKind kind, string name) => Failure(404, "NotFound", $"{kind.Resource} \"{name}\" not found");

    public static InMemoryResponse AlreadyExists(InMemoryKind kind, string name) => Failure(409, "AlreadyExists", $"{kind.Resource} \"{name}\" already exists");

    public static InMemoryResponse Conflict(InMemoryKind kind, string name) => Failure(
        409, "Conflict", $"Operation cannot be fulfilled on {kind.Resource} \"{name}\": the object has been modified; please apply your changes to the latest version and try again");

    public static InMemoryResponse BadRequest(string message) => Failure(400, "BadRequest", message);

    public static InMemoryResponse MethodNotAllowed() => Failure(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");

    public static InMemoryResponse UnsupportedMediaType(string contentType) => Failure(
        415, "UnsupportedMediaType", $"the body of the request was in an unknown format ({contentType}); only application/merge-patch+json is supported here");

    /// <summary>A Kubernetes Status object, as the API server sends with every error.</summary>
    public static InMemoryResponse Failure(int code, string reason, string message) => new(code, new JsonObject
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["status"] = "Failure",
        ["reason"] = reason,
        ["code"] = code,
        ["message"] = message,
    }.ToJsonString());
}
