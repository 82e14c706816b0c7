using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Suite.Picker.Configuration;
using Suite.Picker.Hosting;
using Suite.Picker.Pools;
using static Suite.Picker.UnitTests.Build;

namespace Suite.Picker.UnitTests.Pools;

public sealed class PoolFileSourceTests : IDisposable
{
    private const string OneEndpoint = "pool: p\nendpoints:\n  - address: 10.0.0.1:8000\n";
    private const string TwoEndpoints = "pool: p\nendpoints:\n  - address: 10.0.0.1:8000\n  - address: 10.0.0.2:8000\n";

    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _time = new(Start);
    private readonly FakeLogger<PoolFileSource> _logger = new();
    private readonly PoolStateStore _store = new();
    private readonly List<PoolFileSource> _sources = [];

    public void Dispose()
    {
        foreach (var source in _sources)
        {
            source.Dispose();
        }

        _directory.Dispose();
    }

    private PoolFileSource Source(string? poolFile)
    {
        var source = new PoolFileSource(Options.Create(new PickerOptions { PoolFile = poolFile }), _store, _time, _logger);
        _sources.Add(source);
        return source;
    }

    [Fact]
    public void Start_PoolFile_PublishesVersionOne()
    {
        var source = Source(_directory.File("pool.yaml", OneEndpoint));

        source.Start();

        Assert.Equal(1, _store.Current?.Version);
        Assert.Equal([A], _store.Current?.Endpoints.Select(endpoint => endpoint.Address));
    }

    [Fact]
    public void Start_PoolFile_StampsTheSnapshotWithTheCurrentTime()
    {
        var source = Source(_directory.File("pool.yaml", OneEndpoint));

        source.Start();

        Assert.Equal(Start, _store.Current?.TakenAt);
    }

    [Fact]
    public void Start_NoPoolFile_PublishesNothing()
    {
        var source = Source(null);

        source.Start();

        Assert.Null(_store.Current);
        Assert.Equal(LogLevel.Warning, _logger.LatestRecord.Level);
    }

    [Fact]
    public void Start_InvalidPoolFile_FailsNamingFileLineAndKey()
    {
        var path = _directory.File("pool.yaml", "pool: p\nendpoints:\n  - address: nowhere\n");
        var source = Source(path);

        var error = Assert.Throws<ConfigurationFileException>(source.Start);

        Assert.Equal($"{path} (line 3): endpoints[0].address must be ip:port, not 'nowhere'.", error.Message);
    }

    [Fact]
    public void CheckForChanges_ChangedFile_PublishesVersionTwo()
    {
        var path = _directory.File("pool.yaml", OneEndpoint);
        var source = Source(path);
        source.Start();
        _time.Advance(TimeSpan.FromMilliseconds(300));
        File.WriteAllText(path, TwoEndpoints);

        source.CheckForChanges();

        Assert.Equal(2, _store.Current?.Version);
        Assert.Equal([A, B], _store.Current?.Endpoints.Select(endpoint => endpoint.Address));
        Assert.Equal(Start.AddMilliseconds(300), _store.Current?.TakenAt);
    }

    [Fact]
    public void CheckForChanges_UnchangedFile_KeepsVersionOne()
    {
        var path = _directory.File("pool.yaml", OneEndpoint);
        var source = Source(path);
        source.Start();
        var first = _store.Current;

        source.CheckForChanges();

        Assert.Same(first, _store.Current);
    }

    [Fact]
    public void CheckForChanges_BadEdit_KeepsTheOldSnapshot()
    {
        var path = _directory.File("pool.yaml", OneEndpoint);
        var source = Source(path);
        source.Start();
        var first = _store.Current;
        File.WriteAllText(path, "pool: p\nendpoints:\n  - address: 10.0.0.1\n");

        source.CheckForChanges();

        Assert.Same(first, _store.Current);
    }

    [Fact]
    public void CheckForChanges_BadEdit_LogsTheProblem()
    {
        var path = _directory.File("pool.yaml", OneEndpoint);
        var source = Source(path);
        source.Start();
        File.WriteAllText(path, "pool: p\nendpoints:\n  - address: 10.0.0.1\n");

        source.CheckForChanges();

        Assert.Equal(
            (LogLevel.Error, $"Pool file change rejected, the previous snapshot stays in force: {path} (line 3): endpoints[0].address must be ip:port, not '10.0.0.1'."),
            (_logger.LatestRecord.Level, _logger.LatestRecord.Message));
    }

    [Fact]
    public void CheckForChanges_BadEditThenFixed_PublishesTheFixedFile()
    {
        var path = _directory.File("pool.yaml", OneEndpoint);
        var source = Source(path);
        source.Start();
        File.WriteAllText(path, "pool: p\nendpoints:\n  - address: 10.0.0.1\n");
        source.CheckForChanges();
        File.WriteAllText(path, TwoEndpoints);

        source.CheckForChanges();

        Assert.Equal([A, B], _store.Current?.Endpoints.Select(endpoint => endpoint.Address));
    }

    [Fact]
    public void CheckForChanges_BeforeStart_PublishesNothing()
    {
        var path = _directory.File("pool.yaml", OneEndpoint);
        var source = Source(path);

        source.CheckForChanges();

        Assert.Null(_store.Current);
    }

    [Fact]
    public void Advance_ByThePollInterval_PublishesAnEditedFile()
    {
        var path = _directory.File("pool.yaml", OneEndpoint);
        var source = Source(path);
        source.Start();
        File.WriteAllText(path, TwoEndpoints);

        _time.Advance(PoolFileSource.PollInterval);

        Assert.Equal(2, _store.Current?.Version);
    }
}
