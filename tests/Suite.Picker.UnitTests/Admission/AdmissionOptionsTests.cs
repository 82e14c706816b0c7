using Microsoft.Extensions.Configuration;
using Suite.Contracts.Flow;
using Suite.Picker.Hosting;
using static Suite.Picker.UnitTests.PickerSettings;

namespace Suite.Picker.UnitTests.Admission;

/// <summary><c>Picker:Queue</c> and <c>Picker:Saturation</c> as an operator writes them, and the start-up checks.</summary>
public sealed class AdmissionOptionsTests
{
    [Fact]
    public void Bind_NothingSet_DefaultsToNoQueueAndTheSharedThresholds()
    {
        var options = Bind([]);

        Assert.Empty(options.Queue.Addresses);
        Assert.Equal((TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(1)), (options.Queue.MaxWait, options.Queue.ConnectTimeout));
        Assert.Equal(SaturationThresholds.Default, options.Saturation);
        Assert.Empty(Failures(options));
    }

    [Fact]
    public void Bind_EveryKeySet_TakesThem()
    {
        var options = Bind(new()
        {
            ["Picker:Queue:Addresses:0"] = "http://queue-0.queue:9100",
            ["Picker:Queue:Addresses:1"] = "http://queue-1.queue:9100",
            ["Picker:Queue:MaxWait"] = "00:00:10",
            ["Picker:Queue:ConnectTimeout"] = "00:00:00.250",
            ["Picker:Saturation:QueueDepth"] = "8",
            ["Picker:Saturation:KvCacheUsage"] = "0.9",
            ["Picker:Saturation:StaleAfter"] = "00:00:00.200",
        });

        Assert.Equal(["http://queue-0.queue:9100", "http://queue-1.queue:9100"], options.Queue.Addresses);
        Assert.Equal((TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(250)), (options.Queue.MaxWait, options.Queue.ConnectTimeout));
        Assert.Equal(
            new SaturationThresholds { QueueDepth = 8, KvCacheUsage = 0.9, StaleAfter = TimeSpan.FromMilliseconds(200) },
            options.Saturation);
        Assert.Empty(Failures(options));
        Assert.Equal(5, SaturationThresholds.Default.QueueDepth); // binding must not write into the shared default
    }

    [Fact]
    public void QueueAddressFlag_SetsTheFirstReplica()
    {
        var configuration = new ConfigurationBuilder()
            .AddCommandLine(["--queue-address", "http://localhost:9100"], PickerOptions.SwitchMappings)
            .Build();

        var options = configuration.GetSection(PickerOptions.Section).Get<PickerOptions>()!;

        Assert.Equal(["http://localhost:9100"], options.Queue.Addresses);
    }

    [Theory]
    [InlineData("queue-0:9100")]
    [InlineData("grpc://queue-0:9100")]
    [InlineData("http://queue-0:9100/admit")]
    [InlineData("http://user@queue-0:9100")]
    public void Validate_AddressNotAUrlToAReplica_NamesTheKey(string address)
    {
        var options = Bind(new() { ["Picker:Queue:Addresses:0"] = "http://queue-0:9100", ["Picker:Queue:Addresses:1"] = address });

        Assert.Equal([$"Picker:Queue:Addresses:1 must be a queue replica's URL, http://host:port, not '{address}'."], Failures(options));
    }

    [Fact]
    public void Validate_RepeatedAddress_NamesTheRepeat()
    {
        var options = Bind(new() { ["Picker:Queue:Addresses:0"] = "http://queue-0:9100", ["Picker:Queue:Addresses:1"] = "http://queue-0:9100" });

        Assert.Equal(["Picker:Queue:Addresses:1 repeats 'http://queue-0:9100'; list each queue replica once."], Failures(options));
    }

    [Theory]
    [InlineData("00:00:00", "Picker:Queue:MaxWait must be a duration above 0 and at most 01:00:00 (e.g. 00:00:30), not 00:00:00.")]
    [InlineData("02:00:00", "Picker:Queue:MaxWait must be a duration above 0 and at most 01:00:00 (e.g. 00:00:30), not 02:00:00.")]
    public void Validate_MaxWaitOutOfRange_NamesTheKey(string maxWait, string expected)
    {
        var options = Bind(new() { ["Picker:Queue:MaxWait"] = maxWait, ["Picker:Queue:ConnectTimeout"] = "00:00:00.001" });

        Assert.Contains(expected, Failures(options));
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("00:00:31")]
    public void Validate_ConnectTimeoutNotWithinMaxWait_NamesBothKeys(string connectTimeout)
    {
        var options = Bind(new() { ["Picker:Queue:ConnectTimeout"] = connectTimeout });

        Assert.Equal(
            [$"Picker:Queue:ConnectTimeout must be a duration above 0 and at most Picker:Queue:MaxWait (00:00:30), not {connectTimeout}."],
            Failures(options));
    }

    [Theory]
    [InlineData("QueueDepth", "0", "Picker:Saturation:QueueDepth must be at least 1 (waiting requests per model server), not 0.")]
    [InlineData("KvCacheUsage", "0", "Picker:Saturation:KvCacheUsage must be a fraction above 0 and at most 1, not 0.")]
    [InlineData("KvCacheUsage", "1.5", "Picker:Saturation:KvCacheUsage must be a fraction above 0 and at most 1, not 1.5.")]
    [InlineData("StaleAfter", "-00:00:01", "Picker:Saturation:StaleAfter must be a duration above 0 and at most 01:00:00 (e.g. 00:00:02), not -00:00:01.")]
    public void Validate_SaturationOutOfRange_NamesTheKey(string key, string value, string expected)
    {
        var options = Bind(new() { [$"Picker:Saturation:{key}"] = value });

        Assert.Equal([expected], Failures(options));
    }
}
