using static Suite.Picker.UnitTests.PickerSettings;

namespace Suite.Picker.UnitTests.Hosting;

/// <summary><c>Picker:RequestBodyTimeout</c> as an operator writes it, and the start-up check.</summary>
public sealed class RequestBodyTimeoutOptionsTests
{
    [Fact]
    public void Bind_NothingSet_DefaultsToOneMinute()
    {
        var options = Bind([]);

        Assert.Equal(TimeSpan.FromMinutes(1), options.RequestBodyTimeout);
        Assert.Empty(Failures(options));
    }

    [Theory]
    [InlineData("00:00:00.001", 1)]
    [InlineData("00:00:15", 15_000)]
    [InlineData("01:00:00", 3_600_000)]
    public void Bind_DurationInRange_TakesIt(string value, int milliseconds)
    {
        var options = Bind(new() { ["Picker:RequestBodyTimeout"] = value });

        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), options.RequestBodyTimeout);
        Assert.Empty(Failures(options));
    }

    [Theory]
    [InlineData("00:00:00", "00:00:00")]
    [InlineData("-00:00:05", "-00:00:05")]
    [InlineData("01:00:00.001", "01:00:00.0010000")]
    [InlineData("1.00:00:00", "1.00:00:00")]
    public void Validate_DurationOutOfRange_NamesTheKey(string value, string shown)
    {
        var options = Bind(new() { ["Picker:RequestBodyTimeout"] = value });

        Assert.Equal(
            [$"Picker:RequestBodyTimeout must be a duration above 0 and at most 01:00:00 (e.g. 00:01:00), not {shown}."],
            Failures(options));
    }
}
