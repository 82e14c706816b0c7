using Suite.Queue.Waiting;

namespace Suite.Queue.Admission;

/// <summary>The first answer to an admission request: decided at once, or waiting in the queue.</summary>
internal readonly record struct AdmissionTicket(QueueOutcome? Decided, WaitingRequest? Waiting, int Band, int Depth)
{
    public static AdmissionTicket Now(QueueOutcomeKind kind, int band) => new(new QueueOutcome(kind, TimeSpan.Zero), null, band, 0);
}
