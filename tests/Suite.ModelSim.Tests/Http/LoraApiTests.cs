using System.Net;

namespace Suite.ModelSim.Tests.Http;

public class LoraApiTests
{
    [Fact]
    public async Task LoadAdapter_MakesItServableAndListed()
    {
        await using var host = await SimulatorHost.StartAsync();

        using var load = await host.Client.PostAsync("/v1/load_lora_adapter", SimulatorHost.Json(new { lora_name = "legal-lora", lora_path = "/adapters/legal" }));
        using var completion = await host.Client.PostAsync("/v1/completions", SimulatorHost.Json(new { model = "legal-lora", prompt = "Cite the statute", max_tokens = 2 }));

        Assert.Equal(HttpStatusCode.OK, load.StatusCode);
        Assert.Equal("Success: LoRA adapter 'legal-lora' added successfully.", await load.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, completion.StatusCode);
        Assert.Contains("\"legal-lora\"", await host.Client.GetStringAsync("/v1/models"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAdapter_AlreadyLoaded_Gets400()
    {
        await using var host = await SimulatorHost.StartAsync();

        using var response = await host.Client.PostAsync("/v1/load_lora_adapter", SimulatorHost.Json(new { lora_name = "sql-lora", lora_path = "/adapters/sql" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task LoadAdapter_WithoutPath_Gets400()
    {
        await using var host = await SimulatorHost.StartAsync();

        using var response = await host.Client.PostAsync("/v1/load_lora_adapter", SimulatorHost.Json(new { lora_name = "x" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task UnloadAdapter_ThenRequestsForItGet404()
    {
        await using var host = await SimulatorHost.StartAsync();

        using var unload = await host.Client.PostAsync("/v1/unload_lora_adapter", SimulatorHost.Json(new { lora_name = "sql-lora" }));
        using var completion = await host.Client.PostAsync("/v1/completions", SimulatorHost.Json(new { model = "sql-lora", prompt = "SELECT", max_tokens = 2 }));
        using var again = await host.Client.PostAsync("/v1/unload_lora_adapter", SimulatorHost.Json(new { lora_name = "sql-lora" }));

        Assert.Equal(HttpStatusCode.OK, unload.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, completion.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public async Task LoraSlots_SecondAdapterWaitsWhileTheOnlySlotIsBusy()
    {
        // One LoRA slot; sql-lora runs a long request, code-lora must wait for it.
        await using var host = await SimulatorHost.StartAsync(engine: p => p with { MaxLoras = 1, DecodeMsPerSequence = 5 });
        var sql = host.Client.PostAsync("/v1/completions", SimulatorHost.Json(new { model = "sql-lora", prompt = "SELECT", max_tokens = 200, ignore_eos = true }));
        await SimulatorHost.EventuallyAsync(async () => await host.MetricAsync("vllm:num_requests_running") == 1, "sql-lora running");
        var code = host.Client.PostAsync("/v1/completions", SimulatorHost.Json(new { model = "code-lora", prompt = "def f():", max_tokens = 1 }));

        await SimulatorHost.EventuallyAsync(async () => await host.MetricAsync("vllm:num_requests_waiting") == 1, "code-lora waiting");
        var metrics = await host.Client.GetStringAsync("/metrics");
        using var sqlResponse = await sql;
        using var codeResponse = await code;

        Assert.Contains("running_lora_adapters=\"sql-lora\",waiting_lora_adapters=\"code-lora\"", metrics, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, codeResponse.StatusCode);
    }
}
