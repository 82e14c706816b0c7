using Suite.Queue.Pressure;

namespace Suite.Queue.Tests.Pressure;

public sealed class PoolPressureOptionsTests
{
    private readonly PoolPressureOptionsValidator _validator = new();

    [Fact]
    public void Defaults_OneSecondIntervalThirtySecondHeartbeatAndValid()
    {
        var options = new PoolPressureOptions();

        Assert.Equal((TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), 0.05), (options.PressureInterval, options.PressureHeartbeat, options.PressureSaturationStep));
        Assert.True(_validator.Validate(null, options).Succeeded);
    }

    [Fact]
    public void Validate_BadValues_EachKeyNamed()
    {
        var options = new PoolPressureOptions
        {
            PressureInterval = TimeSpan.FromSeconds(5),
            PressureHeartbeat = TimeSpan.FromSeconds(2),
            PressureSaturationStep = -0.1,
        };

        var result = _validator.Validate(null, options);

        Assert.Equal(
            [
                "Queue:PressureHeartbeat must be at least Queue:PressureInterval (00:00:05), not 00:00:02.",
                "Queue:PressureSaturationStep must be a number of 0 or more, not -0.1.",
            ],
            result.Failures);
    }

    [Fact]
    public void Validate_ZeroInterval_KeyNamed()
    {
        var result = _validator.Validate(null, new PoolPressureOptions { PressureInterval = TimeSpan.Zero });

        Assert.Equal(["Queue:PressureInterval must be above zero, not 00:00:00."], result.Failures);
    }
}
