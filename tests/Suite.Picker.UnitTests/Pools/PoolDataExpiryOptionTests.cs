namespace Suite.Picker.UnitTests.Pools;

public sealed class PoolDataExpiryOptionTests
{
    [Fact]
    public void Default_IsThirtySeconds()
    {
        var options = PickerSettings.Bind([]);

        Assert.Equal(TimeSpan.FromSeconds(30), options.PoolDataExpiry);
        Assert.Empty(PickerSettings.Failures(options));
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("00:00:01")]
    [InlineData("01:00:00")]
    public void ZeroOrOneSecondToOneHour_IsAccepted(string value) =>
        Assert.Empty(PickerSettings.Failures(PickerSettings.Bind(new() { ["Picker:PoolDataExpiry"] = value })));

    [Theory]
    [InlineData("00:00:00.500", "00:00:00.5000000")]
    [InlineData("01:00:01", "01:00:01")]
    [InlineData("-00:00:05", "-00:00:05")]
    public void OutOfRange_IsRefusedWithTheKeyAndTheValue(string value, string shown)
    {
        var failures = PickerSettings.Failures(PickerSettings.Bind(new() { ["Picker:PoolDataExpiry"] = value }));

        Assert.Equal([$"Picker:PoolDataExpiry must be 00:00:00 (never) or between 00:00:01 and 01:00:00, not {shown}."], failures);
    }
}
