using Suite.Contracts.Queue;

namespace Suite.Picker.Admission;

/// <summary>The queue service's <c>Admit</c> call, as the picker uses it.</summary>
internal interface IAdmissionQueueClient
{
    /// <summary>
    /// Asks the replica that owns <c>request.Pool</c>: zero or more queued notices, then one final answer.
    /// Cancelling <paramref name="cancellationToken"/>, or ending the enumeration, ends the call, which withdraws
    /// the request from the queue.
    /// </summary>
    IAsyncEnumerable<AdmitUpdate> AdmitAsync(AdmitRequest request, CancellationToken cancellationToken);
}
