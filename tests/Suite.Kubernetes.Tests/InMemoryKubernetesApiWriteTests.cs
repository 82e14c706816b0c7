using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Suite.Kubernetes.Tests.Fakes;

namespace Suite.Kubernetes.Tests;

/// <summary>Writes to the in-memory API server: status subresource, optimistic concurrency, Leases, and the write log.</summary>
public sealed class InMemoryKubernetesApiWriteTests
{
    private const string Group = TestInferencePool.Group;
    private const string Version = TestInferencePool.Version;
    private const string Plural = TestInferencePool.Plural;
    private const string Leases = "/apis/coordination.k8s.io/v1/namespaces/default/leases";

    [Fact]
    public async Task PutStatus_WithAStaleResourceVersion_IsAConflict_AndChangesNothing()
    {
        await using var server = await InMemoryKubernetesApi.StartAsync();
        server.InstallKind(Group, Version, Plural);
        var first = server.Put(KubeJson.Pool("chat", "0"));
        var current = server.Put(KubeJson.Pool("chat", "0", port: 8001));
        using var client = server.CreateClient("catalog-token");

        var stale = StatusBody(first, "stale");
        var error = await Assert.ThrowsAsync<HttpOperationException>(
            () => client.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync(stale, Group, Version, "default", Plural, "chat"));

        Assert.Equal(HttpStatusCode.Conflict, error.Response.StatusCode);
        using var status = JsonDocument.Parse(error.Response.Content);
        Assert.Equal("Conflict", status.RootElement.GetProperty("reason").GetString());
        Assert.Equal(409, status.RootElement.GetProperty("code").GetInt32());
        var stored = server.Get<TestInferencePool>(Group, Version, Plural, "default", "chat")!;
        Assert.Null(stored.Status);
        Assert.Equal(current["metadata"]!["resourceVersion"]!.GetValue<string>(), stored.Metadata.ResourceVersion);
        var write = Assert.Single(server.Writes);
        Assert.Equal(("PUT", "/apis/inference.networking.k8s.io/v1/namespaces/default/inferencepools/chat/status", "catalog-token", 409), (write.Method, write.Path, write.Token, write.StatusCode));
    }

    [Fact]
    public async Task PutStatus_WithTheCurrentResourceVersion_ReplacesOnlyTheStatus()
    {
        await using var server = await InMemoryKubernetesApi.StartAsync();
        server.InstallKind(Group, Version, Plural);
        var current = server.Put(KubeJson.Pool("chat", "0", port: 8000));
        using var client = server.CreateClient();

        var body = StatusBody(current, "accepted");
        body["spec"]!["targetPorts"]![0]!["number"] = 9999; // ignored: only the status is replaced
        await client.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync(body, Group, Version, "default", Plural, "chat");

        var stored = server.Get<TestInferencePool>(Group, Version, Plural, "default", "chat")!;
        Assert.Equal("accepted", stored.Status!["phase"]!.GetValue<string>());
        Assert.Equal(8000, stored.Spec.TargetPorts.Single().Number);
        Assert.True(long.Parse(stored.Metadata.ResourceVersion) > long.Parse(current["metadata"]!["resourceVersion"]!.GetValue<string>()));
    }

    [Fact]
    public async Task StatusPatch_ThatChangesNothing_KeepsTheResourceVersion()
    {
        await using var server = await InMemoryKubernetesApi.StartAsync();
        server.InstallKind(Group, Version, Plural);
        server.Put(KubeJson.Pool("chat", "0"));
        using var client = server.CreateClient();
        var patch = new V1Patch("""{"status":{"phase":"accepted"}}""", V1Patch.PatchType.MergePatch);

        await client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(patch, Group, Version, "default", Plural, "chat");
        var afterFirst = server.Get<TestInferencePool>(Group, Version, Plural, "default", "chat")!.Metadata.ResourceVersion;
        await client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(patch, Group, Version, "default", Plural, "chat");
        var afterSecond = server.Get<TestInferencePool>(Group, Version, Plural, "default", "chat")!.Metadata.ResourceVersion;

        Assert.Equal(afterFirst, afterSecond);
        Assert.Equal(2, server.Writes.Count);
        Assert.Equal("""{"status":{"phase":"accepted"}}""", server.Writes[0].Body);
    }

    [Fact]
    public async Task Leases_CreateReadReplace_WithAlreadyExistsAndConflict()
    {
        await using var server = await InMemoryKubernetesApi.StartAsync();
        using var client = server.CreateClient("picker-a");
        var lease = new V1Lease { Metadata = new V1ObjectMeta { Name = "picker" }, Spec = new V1LeaseSpec { HolderIdentity = "a" } };

        var missing = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoordinationV1.ReadNamespacedLeaseAsync("picker", "default"));
        var created = await client.CoordinationV1.CreateNamespacedLeaseAsync(lease, "default");
        var createdAs = (created.Metadata.NamespaceProperty, created.Spec.HolderIdentity);
        var again = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoordinationV1.CreateNamespacedLeaseAsync(lease, "default"));
        created.Spec.HolderIdentity = "b";
        var replaced = await client.CoordinationV1.ReplaceNamespacedLeaseAsync(created, "picker", "default");
        created.Spec.HolderIdentity = "c"; // still carries the resourceVersion before the replace
        var conflict = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoordinationV1.ReplaceNamespacedLeaseAsync(created, "picker", "default"));
        var read = await client.CoordinationV1.ReadNamespacedLeaseAsync("picker", "default");

        Assert.Equal(HttpStatusCode.NotFound, missing.Response.StatusCode);
        Assert.Equal("leases.coordination.k8s.io \"picker\" not found", Message(missing));
        Assert.Equal(("default", "a"), createdAs);
        Assert.Equal(HttpStatusCode.Conflict, again.Response.StatusCode);
        Assert.Equal("AlreadyExists", Reason(again));
        Assert.Equal(HttpStatusCode.Conflict, conflict.Response.StatusCode);
        Assert.Equal("Conflict", Reason(conflict));
        Assert.Equal(("b", replaced.Metadata.ResourceVersion), (read.Spec.HolderIdentity, read.Metadata.ResourceVersion));
        Assert.Equal(
            [("POST", Leases, 201), ("POST", Leases, 409), ("PUT", Leases + "/picker", 200), ("PUT", Leases + "/picker", 409)],
            server.Writes.Select(w => (w.Method, w.Path, w.StatusCode)));
        Assert.All(server.Writes, w => Assert.Equal("picker-a", w.Token));
    }

    /// <summary>The object as a client would send it back to <c>/status</c>, with its resourceVersion and a new status.</summary>
    private static JsonObject StatusBody(JsonObject stored, string phase)
    {
        var body = (JsonObject)stored.DeepClone();
        body["status"] = new JsonObject { ["phase"] = phase };
        return body;
    }

    private static string? Reason(HttpOperationException error) => StatusField(error, "reason");

    private static string? Message(HttpOperationException error) => StatusField(error, "message");

    private static string? StatusField(HttpOperationException error, string name)
    {
        using var status = JsonDocument.Parse(error.Response.Content);
        return status.RootElement.GetProperty(name).GetString();
    }
}
