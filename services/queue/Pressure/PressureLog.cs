namespace Suite.Queue.Pressure;

internal static partial class PressureLog
{
    [LoggerMessage(1, LogLevel.Warning, "Publishing the pressure of pool {Pool} failed; it is published again after the interval: {Problem}")]
    public static partial void PublishFailed(ILogger logger, string pool, string problem);

    [LoggerMessage(2, LogLevel.Error, "A pool-pressure pass failed; the next one runs after the interval")]
    public static partial void PassFailed(ILogger logger, Exception exception);
}
