using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using k8s;
using k8s.Models;
using Suite.Kubernetes.Tests.Fakes;
using Suite.Kubernetes.Tests.Support;

namespace Suite.Kubernetes.Tests;

/// <summary>The in-memory API server's fault switches and outages, seen by a plain HTTP client.</summary>
public sealed class InMemoryKubernetesApiFaultTests
{
    private const string Group = TestInferencePool.Group;
    private const string Version = TestInferencePool.Version;
    private const string Plural = TestInferencePool.Plural;
    private const string Pools = "/apis/inference.networking.k8s.io/v1/inferencepools";

    [Theory]
    [InlineData(500, "InternalError")]
    [InlineData(503, "ServiceUnavailable")]
    public async Task FailListsAndWatches_AnswerTheStatusWithAStatusBody_UntilCleared(int code, string reason)
    {
        await using var server = await InMemoryKubernetesApi.StartAsync();
        server.InstallKind(Group, Version, Plural);
        server.Put(KubeJson.Pool("chat", "0"));
        using var http = new HttpClient { BaseAddress = new Uri(server.Host) };

        server.Faults.FailLists(code);
        server.Faults.FailWatches(code);
        using var list = await http.GetAsync(new Uri(Pools, UriKind.Relative));
        using var watch = await http.GetAsync(new Uri(Pools + "?watch=true&resourceVersion=1", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        var body = await list.Content.ReadAsStringAsync();
        server.Faults.Clear();
        using var healed = await http.GetAsync(new Uri(Pools, UriKind.Relative));

        Assert.Equal(((HttpStatusCode)code, (HttpStatusCode)code, HttpStatusCode.OK), (list.StatusCode, watch.StatusCode, healed.StatusCode));
        Assert.Equal(
            $$"""{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"{{reason}}","code":{{code}},"message":"injected fault: List of inferencepools answers {{code}}"}""",
            body);
        Assert.Equal(
            [new InMemoryFault(InMemoryRequestKind.List, Plural, code), new InMemoryFault(InMemoryRequestKind.Watch, Plural, code)],
            server.Faults.Injected);
    }

    [Fact]
    public async Task DropWatchesAfterOne_EachWatchStreamsOneEvent_ThenItsConnectionIsAborted()
    {
        await using var server = await InMemoryKubernetesApi.StartAsync();
        server.InstallKind(Group, Version, Plural);
        var first = server.Put(KubeJson.Pool("chat", "0"));
        server.Put(KubeJson.Pool("code", "0"));
        server.Put(KubeJson.Pool("embed", "0"));
        using var http = new HttpClient { BaseAddress = new Uri(server.Host) };

        server.Faults.DropWatchesAfter(1);
        var (lines, error) = await ReadWatchAsync(http, "1");
        var (resumed, resumedError) = await ReadWatchAsync(http, first["metadata"]!["resourceVersion"]!.GetValue<string>());

        Assert.Equal(["ADDED chat"], lines.Select(Describe));
        Assert.Equal(["ADDED code"], resumed.Select(Describe));
        Assert.IsAssignableFrom<IOException>(error);
        Assert.IsAssignableFrom<IOException>(resumedError);
        Assert.Equal(2, server.Faults.Count(InMemoryRequestKind.Watch, Plural));
    }

    [Fact]
    public async Task DropOpenWatches_AbortsAnOpenWatch()
    {
        await using var server = await InMemoryKubernetesApi.StartAsync();
        server.InstallKind(Group, Version, Plural);
        server.Put(KubeJson.Pool("chat", "0"));
        using var http = new HttpClient { BaseAddress = new Uri(server.Host) };
        using var response = await http.GetAsync(new Uri(Pools + "?watch=true&resourceVersion=1", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var line = await Wait.ForAsync(reader.ReadLineAsync(), "the first event");

        server.DropOpenWatches();
        server.Put(KubeJson.Pool("code", "0"));

        Assert.Equal("ADDED chat", Describe(line!));
        await Assert.ThrowsAnyAsync<IOException>(() => Wait.ForAsync(reader.ReadLineAsync(), "the connection to go"));
    }

    [Fact]
    public async Task Compact_WatchFromAnOlderVersion_GetsAnExpiredErrorEvent_AndTheStreamEnds()
    {
        await using var server = await InMemoryKubernetesApi.StartAsync();
        server.InstallKind(Group, Version, Plural);
        var first = server.Put(KubeJson.Pool("chat", "0"));
        var second = server.Put(KubeJson.Pool("code", "0"));
        using var http = new HttpClient { BaseAddress = new Uri(server.Host) };

        server.Compact();
        var (lines, error) = await ReadWatchAsync(http, first["metadata"]!["resourceVersion"]!.GetValue<string>());

        Assert.Null(error);
        var (type, status) = Assert.Single(lines.Select(Parse));
        Assert.Equal("ERROR", type);
        Assert.Equal(410, status.GetProperty("code").GetInt32());
        Assert.Equal("Expired", status.GetProperty("reason").GetString());
        Assert.Equal(
            $"too old resource version: {first["metadata"]!["resourceVersion"]} ({second["metadata"]!["resourceVersion"]})",
            status.GetProperty("message").GetString());
    }

    [Fact]
    public async Task FailStatusWrites_AnswersTheStatus_ChangesNothing_AndIsLogged()
    {
        await using var server = await InMemoryKubernetesApi.StartAsync();
        server.InstallKind(Group, Version, Plural);
        server.Put(KubeJson.Pool("chat", "0"));
        using var client = server.CreateClient();

        server.Faults.FailStatusWrites(409);
        var error = await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() => client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
            new V1Patch("""{"status":{"ready":true}}""", V1Patch.PatchType.MergePatch), Group, Version, "default", Plural, "chat"));

        Assert.Equal(HttpStatusCode.Conflict, error.Response.StatusCode);
        Assert.Null(server.Get<TestInferencePool>(Group, Version, Plural, "default", "chat")!.Status);
        var write = Assert.Single(server.Writes);
        Assert.Equal(("PATCH", $"/apis/{Group}/{Version}/namespaces/default/{Plural}/chat/status", 409), (write.Method, write.Path, write.StatusCode));
        Assert.Equal([new InMemoryFault(InMemoryRequestKind.StatusWrite, Plural, 409)], server.Faults.Injected);
    }

    [Fact]
    public async Task StopThenRestart_RefusesConnections_ThenServesTheSameObjects_OnTheSamePort()
    {
        await using var server = await InMemoryKubernetesApi.StartAsync();
        server.InstallKind(Group, Version, Plural);
        server.Put(KubeJson.Pool("chat", "0"));
        var host = server.Host;
        using var http = new HttpClient { BaseAddress = new Uri(host) };

        await server.StopAsync();
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(new Uri(Pools, UriKind.Relative)));
        server.Put(KubeJson.Pool("code", "0"));
        await server.RestartAsync();
        using var list = await http.GetAsync(new Uri(Pools, UriKind.Relative));
        using var document = JsonDocument.Parse(await list.Content.ReadAsStringAsync());

        Assert.Equal(SocketError.ConnectionRefused, Assert.IsType<SocketException>(refused.InnerException).SocketErrorCode);
        Assert.Equal(host, server.Host);
        Assert.Equal(
            ["chat", "code"],
            document.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("metadata").GetProperty("name").GetString()));
    }

    /// <summary>Reads a watch from <paramref name="resourceVersion"/> to its end; the error that ended it, if any.</summary>
    private static async Task<(List<string> Lines, Exception? Error)> ReadWatchAsync(HttpClient http, string resourceVersion)
    {
        var lines = new List<string>();
        using var response = await http.GetAsync(
            new Uri($"{Pools}?watch=true&resourceVersion={resourceVersion}", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        try
        {
            while (await Wait.ForAsync(reader.ReadLineAsync(), "the next line or the end") is { } line)
            {
                lines.Add(line);
            }

            return (lines, null);
        }
        catch (IOException e)
        {
            return (lines, e);
        }
    }

    private static (string Type, JsonElement Object) Parse(string line)
    {
        using var document = JsonDocument.Parse(line);
        return (document.RootElement.GetProperty("type").GetString()!, document.RootElement.GetProperty("object").Clone());
    }

    private static string Describe(string line)
    {
        var (type, resource) = Parse(line);
        return $"{type} {resource.GetProperty("metadata").GetProperty("name").GetString()}";
    }
}
