using Suite.Picker.Configuration;

namespace Suite.Picker.UnitTests.Configuration;

public sealed class YamlFieldsTests
{
    [Theory]
    [InlineData("250ms", 250)]
    [InlineData("2s", 2_000)]
    [InlineData("1m", 60_000)]
    [InlineData("1.5s", 1_500)]
    [InlineData("0ms", 0)]
    public void TryParseDuration_NumberWithUnit_ReturnsTheDuration(string text, int expectedMilliseconds)
    {
        var parsed = YamlFields.TryParseDuration(text, out var value);

        Assert.True(parsed);
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMilliseconds), value);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("2")]
    [InlineData("2h")]
    [InlineData("ms")]
    [InlineData("s")]
    [InlineData("fast")]
    [InlineData("-1s")]
    [InlineData("1,5s")]
    public void TryParseDuration_NotADuration_ReturnsFalse(string? text)
    {
        var parsed = YamlFields.TryParseDuration(text, out var value);

        Assert.False(parsed);
        Assert.Equal(TimeSpan.Zero, value);
    }

    [Theory]
    [InlineData("NaNs")]
    [InlineData("Infinityms")]
    [InlineData("1e300m")]
    public void TryParseDuration_NumberNoTimeSpanCanHold_ReturnsFalse(string text)
    {
        var parsed = YamlFields.TryParseDuration(text, out var value);

        Assert.False(parsed);
        Assert.Equal(TimeSpan.Zero, value);
    }
}
