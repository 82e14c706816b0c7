using System.Net;
using Suite.Catalog.Tests.Hosting;
using Suite.Catalog.Tests.Support;

namespace Suite.Catalog.Tests.Api;

public sealed class CatalogApiTests : IAsyncLifetime
{
    private StaticCatalogHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = StaticCatalogHost.Start(Manifests.Join(
            Manifests.Pools,
            Manifests.Model("sql", "sql-assistant", "chat-pool", "2026-11-01T09:00:00Z", ("sql-lora-v1", 90), ("sql-lora-v2", 10)),
            Manifests.Model("sql-copy", "sql-assistant", "chat-pool", "2026-11-05T09:00:00Z", ("sql-lora-v3", 1)),
            Manifests.Model("batch-sql", "sql-assistant", "batch-pool", "2026-11-03T09:00:00Z", ("sql-base", 1)),
            Manifests.Model("lost", "orphan", "no-such-pool", "2026-11-03T09:00:00Z", ("x", 1)),
            Manifests.Rewrites));
        await WaitUntilReadyAsync();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task V1Models_OpenAiShape_PublicNamesOfEveryPool()
    {
        var body = await _host.Client.GetStringAsync(new Uri("/v1/models", UriKind.Relative));

        Assert.Equal(
            """{"object":"list","data":[""" +
            """{"id":"gpt-4o-mini","object":"model","created":1793577600,"owned_by":"chat-pool"},""" +
            """{"id":"sql-assistant","object":"model","created":1793696400,"owned_by":"batch-pool"},""" +
            """{"id":"sql-assistant","object":"model","created":1793523600,"owned_by":"chat-pool"}]}""",
            body);
    }

    [Fact]
    public async Task PoolModels_OnlyThatPool_UnknownPoolIs404()
    {
        var batch = await _host.Client.GetStringAsync(new Uri("/pools/batch-pool/v1/models", UriKind.Relative));
        var missing = await _host.Client.GetAsync(new Uri("/pools/nope/v1/models", UriKind.Relative));

        Assert.Equal("""{"object":"list","data":[{"id":"sql-assistant","object":"model","created":1793696400,"owned_by":"batch-pool"}]}""", batch);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(
            """{"error":{"message":"The pool 'nope' does not exist.","type":"invalid_request_error","param":null,"code":"pool_not_found"}}""",
            await missing.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ModelResolution_PerPool_WithTheLosingResourceAndItsReason()
    {
        var body = await _host.Client.GetStringAsync(new Uri("/models/sql-assistant", UriKind.Relative));

        Assert.Equal(
            """{"model":"sql-assistant","pools":[""" +
            """{"pool":"batch-pool","via":"InferenceModel","declaredBy":"InferenceModel default/batch-sql","criticality":"Critical","targets":[{"name":"sql-base","weight":1,"share":1}]},""" +
            """{"pool":"chat-pool","via":"InferenceModel","declaredBy":"InferenceModel default/sql","criticality":"Critical","targets":[{"name":"sql-lora-v1","weight":90,"share":0.9},{"name":"sql-lora-v2","weight":10,"share":0.1}]}]""" +
            ""","notAccepted":[{"resource":"InferenceModel default/sql-copy","reason":"ModelNameInUse","message":"An older InferenceModel of pool chat-pool already serves the model name 'sql-assistant'."}]}""",
            body);
    }

    [Fact]
    public async Task ModelResolution_NameWithASlash_ResolvedThroughTheCatchAllRewrite()
    {
        var body = await _host.Client.GetStringAsync(new Uri("/models/mistralai/Mistral-7B", UriKind.Relative));

        Assert.Equal(
            """{"model":"mistralai/Mistral-7B","pools":[""" +
            """{"pool":"chat-pool","via":"InferenceModelRewrite (catch-all)","declaredBy":"InferenceModelRewrite default/aliases","criticality":"Standard","targets":[{"name":"qwen-7b","weight":3,"share":0.75},{"name":"qwen-14b","weight":1,"share":0.25}]}]""" +
            ""","notAccepted":[]}""",
            body);
    }

    [Fact]
    public async Task ModelResolution_OnlyARejectedClaimant_ListedWithoutPools()
    {
        var body = await _host.Client.GetStringAsync(new Uri("/models/orphan", UriKind.Relative));

        Assert.Equal(
            """{"model":"orphan","pools":[{"pool":"chat-pool","via":"InferenceModelRewrite (catch-all)","declaredBy":"InferenceModelRewrite default/aliases","criticality":"Standard","targets":[{"name":"qwen-7b","weight":3,"share":0.75},{"name":"qwen-14b","weight":1,"share":0.25}]}]""" +
            ""","notAccepted":[{"resource":"InferenceModel default/lost","reason":"PoolNotFound","message":"spec.poolRef names InferencePool default/no-such-pool, which does not exist."}]}""",
            body);
    }

    private async Task WaitUntilReadyAsync()
    {
        var client = _host.Client;
        await Eventually.AssertAsync(() => client.GetAsync(new Uri("/readyz", UriKind.Relative)).Result.StatusCode == HttpStatusCode.OK, "the catalog to be ready");
    }
}
