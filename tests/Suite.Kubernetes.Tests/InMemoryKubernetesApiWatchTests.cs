using System.Text.Json;
using k8s;
using k8s.Models;
using Suite.Kubernetes.Tests.Fakes;
using Suite.Kubernetes.Tests.Support;

namespace Suite.Kubernetes.Tests;

/// <summary>The in-memory API server's lists and watches, through the real KubernetesClient and through <see cref="ResourceWatcher{T}"/>.</summary>
public sealed class InMemoryKubernetesApiWatchTests
{
    private const string Group = TestInferencePool.Group;
    private const string Version = TestInferencePool.Version;
    private const string Plural = TestInferencePool.Plural;

    [Fact]
    public async Task ResourceWatcher_SeesAPut_ThenAStatusPatch_ThenADelete()
    {
        await using var server = await InMemoryKubernetesApi.StartAsync();
        server.InstallKind(Group, Version, Plural);
        server.Put(KubeJson.Pool("chat", resourceVersion: "ignored"));
        using var client = server.CreateClient();
        await using var w = new RunningWatcher<TestInferencePool>(new CustomResourceApi<TestInferencePool>(client, Group, Version, Plural));
        await w.ReadyAsync();
        var listed = await w.Changes.NextAsync();

        var stored = server.Put(KubeJson.Pool("code", resourceVersion: "ignored", port: 8100, ns: "team-b"));
        var added = await w.Changes.NextAsync();
        await client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
            new V1Patch("""{"status":{"parents":[{"parentRef":{"name":"gateway"}}]}}""", V1Patch.PatchType.MergePatch), Group, Version, "team-b", Plural, "code");
        var patched = await w.Changes.NextAsync();
        server.Delete(Group, Version, Plural, "team-b", "code");
        var deleted = await w.Changes.NextAsync();

        Assert.Equal((ResourceChangeType.Added, "default/chat"), (listed.Changes.Single().Type, listed.Changes.Single().Key));
        Assert.Equal((ResourceChangeType.Added, "team-b/code"), (added.Changes.Single().Type, added.Changes.Single().Key));
        Assert.Equal(8100, added.Changes.Single().Resource.Spec.TargetPorts.Single().Number);
        Assert.Equal(stored["metadata"]!["resourceVersion"]!.GetValue<string>(), added.ResourceVersion);
        var modified = Assert.Single(patched.Changes);
        Assert.Equal(ResourceChangeType.Modified, modified.Type);
        Assert.Equal("gateway", modified.Resource.Status!["parents"]![0]!["parentRef"]!["name"]!.GetValue<string>());
        Assert.Equal(8100, modified.Resource.Spec.TargetPorts.Single().Number); // a status patch leaves the spec alone
        Assert.Equal((ResourceChangeType.Deleted, "team-b/code"), (deleted.Changes.Single().Type, deleted.Changes.Single().Key));
        Assert.True(long.Parse(added.ResourceVersion) < long.Parse(patched.ResourceVersion));
        Assert.True(long.Parse(patched.ResourceVersion) < long.Parse(deleted.ResourceVersion));
        Assert.Equal(["default/chat"], w.Watcher.Snapshot.Keys);
    }

    [Fact]
    public async Task Watch_FromAListsResourceVersion_ReplaysLaterChanges_ThenStreamsNewOnes()
    {
        await using var server = await InMemoryKubernetesApi.StartAsync();
        server.InstallKind(Group, Version, Plural);
        server.Put(KubeJson.Pool("chat", "0"));
        using var client = server.CreateClient();
        var list = (JsonElement)await client.CustomObjects.ListClusterCustomObjectAsync(Group, Version, Plural);
        var listVersion = list.GetProperty("metadata").GetProperty("resourceVersion").GetString()!;
        server.Put(KubeJson.Pool("code", "0"));
        using var stop = new CancellationTokenSource(Wait.Timeout);

        var events = new List<(WatchEventType Type, string Name)>();
        await foreach (var (type, resource) in client.CustomObjects.WatchListClusterCustomObjectAsync(
            Group, Version, Plural, resourceVersion: listVersion, cancellationToken: stop.Token))
        {
            events.Add((type, ((JsonElement)resource).GetProperty("metadata").GetProperty("name").GetString()!));
            if (events.Count == 1)
            {
                server.Delete(Group, Version, Plural, "default", "chat"); // while the watch is open
            }
            else
            {
                break;
            }
        }

        Assert.Equal("InferencePoolList", list.GetProperty("kind").GetString());
        Assert.Equal(["chat"], list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("metadata").GetProperty("name").GetString()));
        Assert.Equal([(WatchEventType.Added, "code"), (WatchEventType.Deleted, "chat")], events);
    }

    [Fact]
    public async Task Pods_InOneNamespace_WithALabelSelector_ReachAPodApiWatcher_WithStatusPatches()
    {
        await using var server = await InMemoryKubernetesApi.StartAsync();
        server.Put(KubeJson.Pod("a", "0", ns: "inference"));
        server.Put(KubeJson.Pod("elsewhere", "0", ns: "other"));
        server.Put(new V1Pod { ApiVersion = "v1", Kind = "Pod", Metadata = new V1ObjectMeta { Name = "unlabelled", NamespaceProperty = "inference" } });
        using var client = server.CreateClient();
        await using var w = new RunningWatcher<V1Pod>(new PodApi(client, "inference", "app=vllm"));
        await w.ReadyAsync();
        var listed = await w.Changes.NextAsync();

        await client.CoreV1.PatchNamespacedPodStatusAsync(
            new V1Patch("""{"status":{"conditions":[{"type":"Ready","status":"False"}]}}""", V1Patch.PatchType.MergePatch), "a", "inference");
        var unready = await w.Changes.NextAsync();

        Assert.Equal(["inference/a"], listed.Changes.Select(c => c.Key));
        var pod = Assert.Single(unready.Changes).Resource;
        Assert.Equal("False", pod.Status.Conditions.Single().Status);
        Assert.Equal("Running", pod.Status.Phase); // merged into the existing status
        Assert.Equal("10.0.0.1", pod.Status.PodIP);
    }
}
