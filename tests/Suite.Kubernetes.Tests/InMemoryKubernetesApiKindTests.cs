using System.Net;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using Suite.Kubernetes.Tests.Fakes;
using Suite.Kubernetes.Tests.Support;

namespace Suite.Kubernetes.Tests;

/// <summary>Installing and removing a kind on the in-memory API server behaves like creating and deleting its CRD.</summary>
public sealed class InMemoryKubernetesApiKindTests
{
    private const string Group = TestInferencePool.Group;
    private const string Version = TestInferencePool.Version;
    private const string Plural = TestInferencePool.Plural;

    [Fact]
    public async Task RemoveKind_ThenInstallKind_IsADeletedAndRecreatedCrd_ForAResourceWatcher()
    {
        await using var server = await InMemoryKubernetesApi.StartAsync();
        server.InstallKind(Group, Version, Plural);
        server.Put(KubeJson.Pool("chat", "0"));
        using var client = server.CreateClient();
        await using var w = new RunningWatcher<TestInferencePool>(new CustomResourceApi<TestInferencePool>(client, Group, Version, Plural));
        await w.ReadyAsync();
        _ = await w.Changes.NextAsync();
        server.Put(KubeJson.Pool("code", "0"));
        _ = await w.Changes.NextAsync(); // the watch is open

        server.RemoveKind(Group, Version, Plural);
        var firstDeleted = await w.Changes.NextAsync();
        var secondDeleted = await w.Changes.NextAsync();
        var delay = (await w.Logs.WaitForAsync("ListNotServed")).Value<TimeSpan>("Delay");
        var whileRemoved = (w.Watcher.IsReady, w.Watcher.IsServed, w.Watcher.Snapshot.Count);
        server.InstallKind(Group, Version, Plural);
        var recreated = server.Put(KubeJson.Pool("chat-v2", "0"));
        w.Time.Advance(delay);
        var relisted = await w.Changes.NextAsync();
        await w.Logs.WaitForAsync("WatchStarted", 3); // the first watch, the one answered 404, the resumed one
        server.Put(KubeJson.Pool("code-v2", "0"));
        var watched = await w.Changes.NextAsync();

        Assert.Equal(
            [(ResourceChangeType.Deleted, "default/chat"), (ResourceChangeType.Deleted, "default/code")],
            firstDeleted.Changes.Concat(secondDeleted.Changes).Select(c => (c.Type, c.Key)));
        Assert.Equal((true, false, 0), whileRemoved);
        Assert.Equal((ResourceChangeType.Added, "default/chat-v2"), (relisted.Changes.Single().Type, relisted.Changes.Single().Key));
        Assert.Equal(recreated["metadata"]!["resourceVersion"]!.GetValue<string>(), w.Logs.Named("WatchStarted")[2].Value<string>("ResourceVersion"));
        Assert.Equal((ResourceChangeType.Added, "default/code-v2"), (watched.Changes.Single().Type, watched.Changes.Single().Key));
        Assert.True(w.Watcher.IsServed);
        Assert.Equal(["default/chat-v2", "default/code-v2"], w.Watcher.Snapshot.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(0, w.Watcher.Counters.Errors);
    }

    [Fact]
    public async Task RemovedKind_AnswersNotFound_WithAStatusBody_ToGetListAndWatch()
    {
        await using var server = await InMemoryKubernetesApi.StartAsync();
        server.InstallKind(Group, Version, Plural);
        server.Put(KubeJson.Pool("chat", "0"));
        using var client = server.CreateClient();

        server.RemoveKind(Group, Version, Plural);
        var get = await Assert.ThrowsAsync<HttpOperationException>(
            () => client.CustomObjects.GetNamespacedCustomObjectAsync(Group, Version, "default", Plural, "chat"));
        var list = await Assert.ThrowsAsync<HttpOperationException>(() => client.CustomObjects.ListClusterCustomObjectAsync(Group, Version, Plural));
        var watch = await Assert.ThrowsAsync<HttpOperationException>(async () =>
        {
            await foreach (var _ in client.CustomObjects.WatchListClusterCustomObjectAsync(Group, Version, Plural, resourceVersion: "1"))
            {
            }
        });

        Assert.All(new[] { get, list, watch }, e => Assert.Equal(HttpStatusCode.NotFound, e.Response.StatusCode));
        Assert.Equal(
            """{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"NotFound","code":404,"message":"the server could not find the requested resource"}""",
            get.Response.Content);
        Assert.Null(server.Get<TestInferencePool>(Group, Version, Plural, "default", "chat"));
    }

    [Fact]
    public async Task UnknownKind_AndMissingObject_AnswerNotFound()
    {
        await using var server = await InMemoryKubernetesApi.StartAsync();
        server.InstallKind(Group, Version, Plural);
        using var client = server.CreateClient();

        var unknown = await Assert.ThrowsAsync<HttpOperationException>(() => client.CustomObjects.ListClusterCustomObjectAsync("example.com", "v1", "widgets"));
        var missing = await Assert.ThrowsAsync<HttpOperationException>(
            () => client.CustomObjects.GetNamespacedCustomObjectAsync(Group, Version, "default", Plural, "nope"));

        Assert.Equal(HttpStatusCode.NotFound, unknown.Response.StatusCode);
        using var status = JsonDocument.Parse(missing.Response.Content);
        Assert.Equal(404, status.RootElement.GetProperty("code").GetInt32());
        Assert.Equal("NotFound", status.RootElement.GetProperty("reason").GetString());
        Assert.Equal("inferencepools.inference.networking.k8s.io \"nope\" not found", status.RootElement.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Put_OfAKindThatIsNotInstalled_Throws()
    {
        await using var server = await InMemoryKubernetesApi.StartAsync();

        var error = Assert.Throws<InvalidOperationException>(() => server.Put(KubeJson.Pool("chat", "0")));

        Assert.Equal("No installed kind serves InferencePool in inference.networking.k8s.io/v1; call InstallKind first.", error.Message);
    }

    [Fact]
    public async Task Put_SetsTheNamespaceUidCreationTimestampAndResourceVersion_AndKeepsTheIdentityOnReplace()
    {
        await using var server = await InMemoryKubernetesApi.StartAsync();
        server.InstallKind(Group, Version, Plural, "InferencePool");

        var created = server.Put(new { apiVersion = "inference.networking.k8s.io/v1", kind = "InferencePool", metadata = new { name = "chat" } });
        var replaced = server.Put(KubeJson.Pool("chat", "999", port: 9000));
        var read = server.Get<TestInferencePool>(Group, Version, Plural, "default", "chat")!;

        Assert.Equal("default", created["metadata"]!["namespace"]!.GetValue<string>());
        Assert.Equal(created["metadata"]!["uid"]!.GetValue<string>(), read.Metadata.Uid);
        Assert.Equal(created["metadata"]!["creationTimestamp"]!.GetValue<string>(), replaced["metadata"]!["creationTimestamp"]!.GetValue<string>());
        Assert.Equal(long.Parse(created["metadata"]!["resourceVersion"]!.GetValue<string>()) + 1, long.Parse(read.Metadata.ResourceVersion));
        Assert.Equal(9000, read.Spec.TargetPorts.Single().Number);
    }
}
