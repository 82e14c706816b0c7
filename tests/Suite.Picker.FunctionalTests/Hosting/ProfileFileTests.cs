using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Suite.Picker.Configuration;
using Suite.Picker.FunctionalTests.Infrastructure;
using static Suite.Picker.FunctionalTests.Infrastructure.ResponseAssertions;

namespace Suite.Picker.FunctionalTests.Hosting;

/// <summary>The scheduling profile file as the running service uses it: explain header and reload.</summary>
public sealed class ProfileFileTests
{
    [Fact]
    public async Task Process_ExplainHeaderEnabled_PutsPerScorerScoresOnTheResponseHeaders()
    {
        using var picker = new PickerFactory().WithProfile("""
            scorers:
              - { type: queue-depth, weight: 2 }
              - { type: kv-cache, weight: 1 }
            explain: { header: true, candidates: 2 }
            """);
        picker.Publish(
            PickerFactory.Endpoint("10.0.0.1:8000", waiting: 4, kv: 0.5),
            PickerFactory.Endpoint("10.0.0.2:8000", waiting: 0, kv: 0.25));
        await using var envoy = await picker.OpenRoutedExchangeAsync();

        await envoy.SendResponseHeadersAsync();
        var response = await envoy.ReadAsync();

        Assert.Equal(
            "picked=10.0.0.2:8000 candidates=2; 10.0.0.2:8000 total=2.750 queue-depth=1.000 kv-cache=0.750; 10.0.0.1:8000 total=0.500 queue-depth=0.000 kv-cache=0.500",
            SetHeader(response.ResponseHeaders.Response, "x-picker-decision"));
    }

    [Fact]
    public async Task Process_ExplainHeaderOffByDefault_LeavesResponseHeadersAlone()
    {
        using var picker = new PickerFactory();
        picker.Publish(PickerFactory.Endpoint("10.0.0.1:8000"));
        await using var envoy = await picker.OpenRoutedExchangeAsync();

        await envoy.SendResponseHeadersAsync();
        var response = await envoy.ReadAsync();

        Assert.Null(response.ResponseHeaders.Response.HeaderMutation);
    }

    [Fact]
    public async Task Process_ProfileFileEdited_NextDecisionUsesTheNewProfile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"profile-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(path, "destinations: 1\n");
        try
        {
            using var picker = new PickerFactory().With("Picker:ConfigFile", path);
            picker.Publish(PickerFactory.Endpoint("10.0.0.1:8000"), PickerFactory.Endpoint("10.0.0.2:8000", waiting: 3));
            var before = await RouteAsync(picker);

            await File.WriteAllTextAsync(path, "destinations: 2\n");
            picker.Services.GetRequiredService<ProfileStore>().CheckForChanges();
            var after = await RouteAsync(picker);

            Assert.Equal("10.0.0.1:8000", before);
            Assert.Equal("10.0.0.1:8000,10.0.0.2:8000", after);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static async Task<string?> RouteAsync(PickerFactory picker)
    {
        await using var envoy = picker.OpenStream();
        await envoy.SendRequestHeadersAsync();
        await envoy.SendRequestBodyAsync(Encoding.UTF8.GetBytes("""{"model":"m","messages":[]}"""), endOfStream: true);
        var headers = await envoy.ReadAsync();
        return SetHeader(headers.RequestHeaders.Response, "x-gateway-destination-endpoint");
    }
}
