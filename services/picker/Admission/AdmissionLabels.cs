namespace Suite.Picker.Admission;

/// <summary>The metric label of each outcome and reason.</summary>
internal static class AdmissionLabels
{
    public static string Of(AdmissionOutcome outcome) => outcome switch
    {
        AdmissionOutcome.AdmittedUnsaturated => "admitted_unsaturated",
        AdmissionOutcome.AdmittedByQueue => "admitted_by_queue",
        AdmissionOutcome.AdmittedLocally => "admitted_locally",
        AdmissionOutcome.Shed => "shed",
        AdmissionOutcome.QueueFull => "queue_full",
        AdmissionOutcome.Expired => "expired",
        _ => "unknown",
    };

    public static string Of(FallbackReason reason) => reason switch
    {
        FallbackReason.NoQueue => "no_queue",
        FallbackReason.Unavailable => "unavailable",
        FallbackReason.Timeout => "timeout",
        FallbackReason.WrongShard => "wrong_shard",
        FallbackReason.BadAnswer => "bad_answer",
        _ => "unknown",
    };
}
