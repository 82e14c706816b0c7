using Microsoft.Extensions.Options;

namespace Suite.Queue.Pressure;

/// <summary>
/// How the <c>pool-pressure</c> event is paced. Keys of the <c>Queue</c> section, next to the core's own settings
/// (<c>Queue:PressureInterval</c>, <c>Queue:PressureHeartbeat</c>, <c>Queue:PressureSaturationStep</c>).
/// </summary>
public sealed class PoolPressureOptions
{
    public const string Section = "Queue";

    /// <summary>At most one event per pool this often: changes in between are coalesced into the next event.</summary>
    public TimeSpan PressureInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>At least one event per pool this often, changed or not, so consumers can tell silence from calm.</summary>
    public TimeSpan PressureHeartbeat { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How far saturation must move from the last published value to be worth an event of its own (it moves with
    /// every pod-state snapshot). Crossing 1, the saturated line, always is; so is any change in what waits.
    /// </summary>
    public double PressureSaturationStep { get; set; } = 0.05;
}

internal sealed class PoolPressureOptionsValidator : IValidateOptions<PoolPressureOptions>
{
    public ValidateOptionsResult Validate(string? name, PoolPressureOptions options)
    {
        var failures = new List<string>();
        if (options.PressureInterval <= TimeSpan.Zero)
        {
            failures.Add($"{PoolPressureOptions.Section}:{nameof(options.PressureInterval)} must be above zero, not {options.PressureInterval}.");
        }

        if (options.PressureHeartbeat < options.PressureInterval)
        {
            failures.Add($"{PoolPressureOptions.Section}:{nameof(options.PressureHeartbeat)} must be at least "
                + $"{PoolPressureOptions.Section}:{nameof(options.PressureInterval)} ({options.PressureInterval}), not {options.PressureHeartbeat}.");
        }

        if (!double.IsFinite(options.PressureSaturationStep) || options.PressureSaturationStep < 0)
        {
            failures.Add($"{PoolPressureOptions.Section}:{nameof(options.PressureSaturationStep)} must be a number of 0 or more, not {options.PressureSaturationStep}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
