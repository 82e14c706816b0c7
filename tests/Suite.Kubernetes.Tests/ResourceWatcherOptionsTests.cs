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

    public static TheoryData<ResourceWatcherOptions, string> BadOptions => new()
    {
        { new ResourceWatcherOptions { WatchTimeout = TimeSpan.Zero }, "WatchTimeout" },
        { new ResourceWatcherOptions { WatchTimeout = TimeSpan.FromMilliseconds(1500) }, "WatchTimeout" },
        { new ResourceWatcherOptions { SilenceTimeout = TimeSpan.FromMinutes(5) }, "SilenceTimeout" },
        { new ResourceWatcherOptions { BackoffBase = TimeSpan.Zero }, "BackoffBase" },
        { new ResourceWatcherOptions { BackoffCap = TimeSpan.FromMilliseconds(500) }, "BackoffCap" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Validate_BadSetting_ThrowsNamingIt(ResourceWatcherOptions options, string setting)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(options.Validate);

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
