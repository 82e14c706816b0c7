namespace Suite.Kubernetes.Tests;

public sealed class ResourceWatcherOptionsTests
{
    [Fact]
    public void Defaults_AreFiveMinuteWatches_ATenMinuteWatchdog_AndOneToThirtySecondBackoff()
    {
        var options = new ResourceWatcherOptions();

        options.Validate();

        Assert.Equal(TimeSpan.FromMinutes(5), options.WatchTimeout);
        Assert.Equal(TimeSpan.FromMinutes(10), options.SilenceTimeout);
        Assert.Equal(TimeSpan.FromSeconds(1), options.BackoffBase);
        Assert.Equal(TimeSpan.FromSeconds(30), options.BackoffCap);
    }

    private static readonly Dictionary<string, ResourceWatcherOptions> BadOptions = new()
    {
        ["zero watch timeout"] = new() { WatchTimeout = TimeSpan.Zero },
        ["fractional watch timeout"] = new() { WatchTimeout = TimeSpan.FromMilliseconds(1500) },
        ["watchdog not above the watch timeout"] = new() { SilenceTimeout = TimeSpan.FromMinutes(5) },
        ["zero backoff base"] = new() { BackoffBase = TimeSpan.Zero },
        ["cap below the base"] = new() { BackoffCap = TimeSpan.FromMilliseconds(500) },
    };

    [Theory]
    [InlineData("zero watch timeout", "WatchTimeout")]
    [InlineData("fractional watch timeout", "WatchTimeout")]
    [InlineData("watchdog not above the watch timeout", "SilenceTimeout")]
    [InlineData("zero backoff base", "BackoffBase")]
    [InlineData("cap below the base", "BackoffCap")]
    public void Validate_BadSetting_ThrowsNamingIt(string badCase, string setting)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(BadOptions[badCase].Validate);

        Assert.Equal(setting, error.ParamName);
        Assert.Contains($"ResourceWatcherOptions.{setting}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ResourceWatcher_RejectsBadOptionsAtConstruction()
    {
        using var client = new k8s.Kubernetes(new k8s.KubernetesClientConfiguration { Host = "http://127.0.0.1:1" });

        Assert.Throws<ArgumentOutOfRangeException>(() => new ResourceWatcher<k8s.Models.V1Pod>(
            new PodApi(client), new ResourceWatcherOptions { BackoffBase = TimeSpan.Zero }, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance));
    }
}
