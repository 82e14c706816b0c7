namespace Suite.Kubernetes.Tests.Fakes;

/// <summary>One mutating request (POST, PUT, PATCH, DELETE) the in-memory API server received, for a test to assert who wrote what.</summary>
/// <param name="Path">Without the query string, e.g. <c>/apis/coordination.k8s.io/v1/namespaces/default/leases/picker</c>.</param>
/// <param name="Token">The bearer token sent, or null.</param>
/// <param name="Body">The request body as sent.</param>
/// <param name="StatusCode">What the server answered, e.g. 409 for a stale resourceVersion.</param>
internal sealed record InMemoryWrite(string Method, string Path, string? Token, string Body, int StatusCode);
