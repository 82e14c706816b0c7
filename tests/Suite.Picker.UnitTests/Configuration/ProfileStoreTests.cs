using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Suite.Picker.Configuration;
using Suite.Picker.Hosting;
using Suite.Picker.Scheduling.Prefix;
using static Suite.Picker.UnitTests.Build;

namespace Suite.Picker.UnitTests.Configuration;

public sealed class ProfileStoreTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _time = new(Start);
    private readonly FakeLogger<ProfileStore> _logger = new();
    private readonly List<ProfileStore> _stores = [];

    public void Dispose()
    {
        foreach (var store in _stores)
        {
            store.Dispose();
        }

        _directory.Dispose();
    }

    private ProfileStore Store(string? configFile)
    {
        var store = new ProfileStore(
            Options.Create(new PickerOptions { ConfigFile = configFile }), new ScriptedRandom(), new PrefixCacheIndex(_time), _time, _logger);
        _stores.Add(store);
        return store;
    }

    [Fact]
    public void Constructor_NoConfigFile_UsesTheDefaultProfile()
    {
        var store = Store(null);

        Assert.Equal(["queue-depth", "outstanding-requests", "kv-cache", "lora-affinity", "prefix-cache"], store.Current.Scorers.Select(s => s.Scorer.Name));
        Assert.Equal(1, store.Current.Destinations);
    }

    [Fact]
    public void Constructor_ConfigFile_LoadsItsProfile()
    {
        var path = _directory.File("profile.yaml", "destinations: 3\n");

        var store = Store(path);

        Assert.Equal(3, store.Current.Destinations);
    }

    [Fact]
    public void Constructor_InvalidConfigFile_FailsNamingFileLineAndKey()
    {
        var path = _directory.File("profile.yaml", "destinations: 3\nscorers:\n  - type: magic\n");

        var error = Assert.Throws<ConfigurationFileException>(() => Store(path));

        Assert.Equal(
            $"{path} (line 3): scorers[0].type 'magic' is not a scorer; known scorers: queue-depth, kv-cache, lora-affinity, running-requests, in-flight, outstanding-requests, prefix-cache.",
            error.Message);
    }

    [Fact]
    public void Constructor_MissingConfigFile_FailsSayingItCannotBeRead()
    {
        var path = Path.Combine(_directory.Path, "absent.yaml");

        var error = Assert.Throws<ConfigurationFileException>(() => Store(path));

        Assert.StartsWith($"{path}: cannot be read: ", error.Message);
    }

    [Fact]
    public void CheckForChanges_ValidEdit_SwapsInTheNewProfile()
    {
        var path = _directory.File("profile.yaml", "destinations: 3\n");
        var store = Store(path);
        File.WriteAllText(path, "destinations: 4\n");

        store.CheckForChanges();

        Assert.Equal(4, store.Current.Destinations);
    }

    [Fact]
    public void CheckForChanges_ValidEdit_LogsTheReload()
    {
        var path = _directory.File("profile.yaml", "destinations: 3\n");
        var store = Store(path);
        File.WriteAllText(path, "destinations: 4\n");

        store.CheckForChanges();

        Assert.Equal((LogLevel.Information, $"Scheduling profile reloaded from {path}"), (_logger.LatestRecord.Level, _logger.LatestRecord.Message));
    }

    [Fact]
    public void CheckForChanges_BadEdit_KeepsThePreviousProfile()
    {
        var path = _directory.File("profile.yaml", "destinations: 3\n");
        var store = Store(path);
        var before = store.Current;
        File.WriteAllText(path, "destinations: 99\n");

        store.CheckForChanges();

        Assert.Same(before, store.Current);
    }

    [Fact]
    public void CheckForChanges_BadEdit_LogsTheProblem()
    {
        var path = _directory.File("profile.yaml", "destinations: 3\n");
        var store = Store(path);
        File.WriteAllText(path, "destinations: 99\n");

        store.CheckForChanges();

        Assert.Equal(
            (LogLevel.Error, $"Scheduling profile change rejected, the previous profile stays in force: {path} (line 1): destinations must be a whole number from 1 to 16, not '99'."),
            (_logger.LatestRecord.Level, _logger.LatestRecord.Message));
    }

    [Fact]
    public void CheckForChanges_BadDurationEdit_KeepsThePreviousProfile()
    {
        var path = _directory.File("profile.yaml", "staleAfter: 1s\n");
        var store = Store(path);
        var before = store.Current;
        File.WriteAllText(path, "staleAfter: NaNs\n");

        store.CheckForChanges();

        Assert.Same(before, store.Current);
    }

    [Fact]
    public void CheckForChanges_BadEditThenFixed_SwapsInTheFixedProfile()
    {
        var path = _directory.File("profile.yaml", "destinations: 3\n");
        var store = Store(path);
        File.WriteAllText(path, "destinations: 99\n");
        store.CheckForChanges();
        File.WriteAllText(path, "destinations: 5\n");

        store.CheckForChanges();

        Assert.Equal(5, store.Current.Destinations);
    }

    [Fact]
    public void CheckForChanges_EditToFileWithByteOrderMark_SwapsInTheNewProfile()
    {
        var path = Path.Combine(_directory.Path, "profile.yaml");
        File.WriteAllBytes(path, [0xEF, 0xBB, 0xBF, .. "destinations: 3\n"u8]);
        var store = Store(path);
        File.WriteAllBytes(path, [0xEF, 0xBB, 0xBF, .. "destinations: 4\n"u8]);

        store.CheckForChanges();

        Assert.Equal(4, store.Current.Destinations);
    }

    [Fact]
    public void Advance_ByThePollInterval_ReloadsAnEditedFile()
    {
        var path = _directory.File("profile.yaml", "destinations: 3\n");
        var store = Store(path);
        File.WriteAllText(path, "destinations: 2\n");

        _time.Advance(ProfileStore.PollInterval);

        Assert.Equal(2, store.Current.Destinations);
    }
}
