using static Suite.Picker.UnitTests.PickerSettings;

namespace Suite.Picker.UnitTests.Hosting;

/// <summary><c>Picker:MaxBufferedBodyBytes</c> as an operator writes it, and the start-up check.</summary>
public sealed class MaxBufferedBodyBytesOptionsTests
{
    [Fact]
    public void Bind_NothingSet_Defaults256MebibytesAbove16MebibyteBodies()
    {
        var options = Bind([]);

        Assert.Equal(268_435_456, options.MaxBufferedBodyBytes);
        Assert.Equal(16 * options.MaxRequestBodyBytes, options.MaxBufferedBodyBytes);
        Assert.Empty(Failures(options));
    }

    [Theory]
    [InlineData("1048576", "1048576", 1_048_576)]              // exactly one body at the limit
    [InlineData("1048576", "3145728", 3_145_728)]
    [InlineData("16777216", "68719476736", 68_719_476_736)]     // the ceiling, 64 GiB
    public void Bind_ValueInRange_TakesIt(string maxRequestBodyBytes, string value, long expected)
    {
        var options = Bind(new()
        {
            ["Picker:MaxRequestBodyBytes"] = maxRequestBodyBytes,
            ["Picker:MaxBufferedBodyBytes"] = value,
        });

        Assert.Equal(expected, options.MaxBufferedBodyBytes);
        Assert.Empty(Failures(options));
    }

    [Theory]
    [InlineData("16777215", "16777216", "16777215")]          // one byte short of a single body
    [InlineData("0", "16777216", "0")]
    [InlineData("-1", "16777216", "-1")]
    [InlineData("68719476737", "16777216", "68719476737")]   // one byte over the ceiling
    [InlineData("2097151", "2097152", "2097151")]
    public void Validate_ValueOutOfRange_NamesBothKeys(string value, string maxRequestBodyBytes, string shown)
    {
        var options = Bind(new()
        {
            ["Picker:MaxRequestBodyBytes"] = maxRequestBodyBytes,
            ["Picker:MaxBufferedBodyBytes"] = value,
        });

        Assert.Equal(
            [$"Picker:MaxBufferedBodyBytes must be at least Picker:MaxRequestBodyBytes ({maxRequestBodyBytes}) and at most 68719476736 bytes, not {shown}."],
            Failures(options));
    }
}
