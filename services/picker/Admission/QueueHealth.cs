namespace Suite.Picker.Admission;

/// <summary>
/// Whether the queue is answering, so that falling back to local admission is logged once when it starts and
/// once when it ends, not once per request.
/// </summary>
internal sealed class QueueHealth(ILogger logger)
{
    private int _failing;

    public bool Failing => Volatile.Read(ref _failing) == 1;

    public void Failed(FallbackReason reason, string problem)
    {
        if (Interlocked.Exchange(ref _failing, 1) == 0)
        {
            AdmissionLog.QueueFailing(logger, AdmissionLabels.Of(reason), problem);
        }
    }

    public void Answered()
    {
        // A plain read first: while the queue is healthy, answers cost no interlocked write.
        if (Failing && Interlocked.Exchange(ref _failing, 0) == 1)
        {
            AdmissionLog.QueueAnswersAgain(logger);
        }
    }
}
