using System.Text;
using Suite.Picker.FunctionalTests.Infrastructure;
using static Suite.Picker.FunctionalTests.Infrastructure.ResponseAssertions;

namespace Suite.Picker.FunctionalTests.ExtProc;

/// <summary>Prefix-cache affinity with the default profile, through the real ext_proc path.</summary>
public sealed class PrefixAffinityTests : IDisposable
{
    private const string First = "10.0.0.1:8000";
    private const string Second = "10.0.0.2:8000";

    private static readonly string SystemPrompt = string.Concat(Enumerable.Repeat("You answer questions about the orders database. ", 40));

    private readonly PickerFactory _picker = new();

    public void Dispose() => _picker.Dispose();

    private static string Chat(string question) =>
        $$"""{"model":"base-model","messages":[{"role":"system","content":"{{SystemPrompt}}"},{"role":"user","content":"{{question}}"}]}""";

    private async Task<string> RouteAsync(string body)
    {
        await using var envoy = _picker.OpenStream();
        await envoy.SendRequestHeadersAsync();
        await envoy.SendRequestBodyAsync(Encoding.UTF8.GetBytes(body), endOfStream: true);
        var headers = await envoy.ReadAsync();
        await envoy.ReadStreamedRequestBodyAsync();
        return SetHeader(headers.RequestHeaders.Response, "x-gateway-destination-endpoint")!;
    }

    private static string Other(string address) => address == First ? Second : First;

    [Fact]
    public async Task Process_SharedLongPrefixEqualLoads_GoesWhereThePrefixWent()
    {
        _picker.Publish(PickerFactory.Endpoint(First), PickerFactory.Endpoint(Second));

        var first = await RouteAsync(Chat("How many orders shipped today?"));
        var followers = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            followers.Add(await RouteAsync(Chat($"Which customer ordered most in week {i}?")));
        }

        Assert.All(followers, follower => Assert.Equal(first, follower));
    }

    [Fact]
    public async Task Process_SharedLongPrefixHolderBusy_GoesToTheIdlePod()
    {
        _picker.Publish(PickerFactory.Endpoint(First), PickerFactory.Endpoint(Second));
        var holder = await RouteAsync(Chat("How many orders shipped today?"));

        // The holder's queue is at the pool's saturation depth of 5: its affinity counts for nothing, and the idle
        // pod leads on queue depth.
        _picker.Publish(
            PickerFactory.Endpoint(holder, waiting: 5),
            PickerFactory.Endpoint(Other(holder), waiting: 0));
        var next = await RouteAsync(Chat("Which customer ordered most?"));

        Assert.Equal(Other(holder), next);
    }

    [Fact]
    public async Task Process_SamePromptForAnotherModel_HasNoAffinity()
    {
        _picker.Publish(PickerFactory.Endpoint(First), PickerFactory.Endpoint(Second, waiting: 1));
        var holder = await RouteAsync(Chat("How many orders shipped today?"));
        Assert.Equal(First, holder);

        // Second has the shorter queue now; the prefix recorded on First was for base-model, not this one.
        _picker.Publish(PickerFactory.Endpoint(First, waiting: 1), PickerFactory.Endpoint(Second));
        var next = await RouteAsync(Chat("How many orders shipped today?").Replace("base-model", "other-model", StringComparison.Ordinal));

        Assert.Equal(Second, next);
    }
}
