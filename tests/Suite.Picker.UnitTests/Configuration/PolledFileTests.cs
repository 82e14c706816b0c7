using Microsoft.Extensions.Time.Testing;
using Suite.Picker.Configuration;
using static Suite.Picker.UnitTests.Build;

namespace Suite.Picker.UnitTests.Configuration;

public sealed class PolledFileTests : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _time = new(Start);
    private readonly List<string> _reported = [];
    private readonly string _path;
    private readonly PolledFile _file;

    public PolledFileTests()
    {
        _path = _directory.File("watched.yaml", "version: 1\n");
        _file = new PolledFile(_path, "version: 1\n", Interval, _time, _reported.Add);
    }

    public void Dispose()
    {
        _file.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public void CheckNow_ContentChanged_ReportsTheNewContent()
    {
        File.WriteAllText(_path, "version: 2\n");

        _file.CheckNow();

        Assert.Equal(["version: 2\n"], _reported);
    }

    [Fact]
    public void CheckNow_FileRewrittenWithSameContent_ReportsNothing()
    {
        File.WriteAllText(_path, "version: 1\n");

        _file.CheckNow();

        Assert.Empty(_reported);
    }

    [Fact]
    public void CheckNow_CalledAgainAfterAChange_ReportsTheChangeOnce()
    {
        File.WriteAllText(_path, "version: 2\n");
        _file.CheckNow();

        _file.CheckNow();

        Assert.Equal(["version: 2\n"], _reported);
    }

    [Fact]
    public void CheckNow_SuccessiveChanges_ReportsEach()
    {
        File.WriteAllText(_path, "version: 2\n");
        _file.CheckNow();
        File.WriteAllText(_path, "version: 3\n");

        _file.CheckNow();

        Assert.Equal(["version: 2\n", "version: 3\n"], _reported);
    }

    [Fact]
    public void CheckNow_FileMissing_ReportsNothing()
    {
        File.Delete(_path);

        _file.CheckNow();

        Assert.Empty(_reported);
    }

    [Fact]
    public void CheckNow_FileRestoredUnchangedAfterMissing_ReportsNothing()
    {
        File.Delete(_path);
        _file.CheckNow();
        File.WriteAllText(_path, "version: 1\n");

        _file.CheckNow();

        Assert.Empty(_reported);
    }

    [Fact]
    public void CheckNow_FileRestoredChangedAfterMissing_ReportsTheNewContent()
    {
        File.Delete(_path);
        _file.CheckNow();
        File.WriteAllText(_path, "version: 2\n");

        _file.CheckNow();

        Assert.Equal(["version: 2\n"], _reported);
    }

    [Fact]
    public void CheckNow_SameContentWithByteOrderMark_ReportsNothing()
    {
        File.WriteAllBytes(_path, [0xEF, 0xBB, 0xBF, .. "version: 1\n"u8]);

        _file.CheckNow();

        Assert.Empty(_reported);
    }

    [Fact]
    public void CheckNow_ChangedContentWithByteOrderMark_ReportsTheContentWithoutTheMark()
    {
        File.WriteAllBytes(_path, [0xEF, 0xBB, 0xBF, .. "version: 2\n"u8]);

        _file.CheckNow();

        Assert.Equal(["version: 2\n"], _reported);
    }

    [Fact]
    public void Advance_ByTheInterval_ChecksTheFile()
    {
        File.WriteAllText(_path, "version: 2\n");

        _time.Advance(Interval);

        Assert.Equal(["version: 2\n"], _reported);
    }

    [Fact]
    public void Advance_LessThanTheInterval_DoesNotCheckTheFile()
    {
        File.WriteAllText(_path, "version: 2\n");

        _time.Advance(Interval - TimeSpan.FromMilliseconds(1));

        Assert.Empty(_reported);
    }

    [Fact]
    public void Advance_OverSeveralIntervals_ReportsEachChangeAtTheNextPoll()
    {
        File.WriteAllText(_path, "version: 2\n");
        _time.Advance(Interval);
        File.WriteAllText(_path, "version: 3\n");

        _time.Advance(Interval);

        Assert.Equal(["version: 2\n", "version: 3\n"], _reported);
    }

    [Fact]
    public void Dispose_ThenAdvance_StopsPolling()
    {
        File.WriteAllText(_path, "version: 2\n");
        _file.Dispose();

        _time.Advance(Interval);

        Assert.Empty(_reported);
    }
}
