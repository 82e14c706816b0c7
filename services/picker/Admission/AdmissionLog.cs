namespace Suite.Picker.Admission;

internal static partial class AdmissionLog
{
    [LoggerMessage(1, LogLevel.Warning, "The admission queue failed ({Reason}: {Problem}); until it answers again the picker admits saturated-pool requests itself: sheddable ones get 429, the others are routed")]
    public static partial void QueueFailing(ILogger logger, string reason, string problem);

    [LoggerMessage(2, LogLevel.Information, "The admission queue answers again; saturated-pool requests wait in it as before")]
    public static partial void QueueAnswersAgain(ILogger logger);

    [LoggerMessage(3, LogLevel.Debug, "Request {RequestId} arrived with pool {Pool} saturated ({Saturation:F2}): {Outcome}")]
    public static partial void Decided(ILogger logger, string requestId, string pool, double saturation, string outcome);
}
