namespace Suite.Picker.Admission;

/// <summary>What the queue said about one request, or, when <see cref="Verdict"/> is Failed, why it could not say.</summary>
internal readonly record struct QueueAnswer(QueueVerdict Verdict, FallbackReason Failure, string? Problem)
{
    public static QueueAnswer Admitted => new(QueueVerdict.Admitted, default, null);

    public static QueueAnswer QueueFull => new(QueueVerdict.QueueFull, default, null);

    public static QueueAnswer Shed => new(QueueVerdict.Shed, default, null);

    public static QueueAnswer Expired => new(QueueVerdict.Expired, default, null);

    public static QueueAnswer Failed(FallbackReason reason, string problem) => new(QueueVerdict.Failed, reason, problem);
}

internal enum QueueVerdict
{
    Admitted,
    QueueFull,
    Shed,
    Expired,
    Failed,
}
