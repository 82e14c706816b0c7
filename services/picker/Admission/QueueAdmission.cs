using System.Globalization;
using Grpc.Core;
using Suite.Contracts.Queue;

namespace Suite.Picker.Admission;

/// <summary>
/// One <c>Admit</c> call, bounded so that no request hangs on the queue: its first update (a queued notice or the
/// final answer) must come within the connect timeout, the final answer by the request's deadline plus
/// <see cref="AnswerGrace"/>. A call that runs out of time is cancelled, which withdraws the request from the
/// queue. When the caller's token is cancelled (the ext_proc stream ended) the call is cancelled too and the
/// cancellation propagates.
/// </summary>
internal sealed class QueueAdmission(IAdmissionQueueClient queue, QueueHealth health, TimeSpan connectTimeout, TimeProvider time)
{
    /// <summary>Time the queue has past the deadline to say Expired itself (its clock and ours differ a little).</summary>
    public static readonly TimeSpan AnswerGrace = TimeSpan.FromSeconds(2);

    public async ValueTask<QueueAnswer> AskAsync(AdmitRequest request, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        using var call = new CancellationTokenSource(connectTimeout, time);
        using var withdrawal = cancellationToken.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), call);
        var answered = false;
        try
        {
            await foreach (var update in queue.AdmitAsync(request, call.Token))
            {
                if (!answered)
                {
                    answered = true;
                    var left = deadline + AnswerGrace - time.GetUtcNow();
                    call.CancelAfter(left > TimeSpan.Zero ? left : TimeSpan.Zero);
                }

                switch (update.OutcomeCase)
                {
                    case AdmitUpdate.OutcomeOneofCase.Queued:
                        health.Answered();
                        continue;
                    case AdmitUpdate.OutcomeOneofCase.Admitted:
                        return Heard(QueueAnswer.Admitted);
                    case AdmitUpdate.OutcomeOneofCase.Expired:
                        return Heard(QueueAnswer.Expired);
                    case AdmitUpdate.OutcomeOneofCase.Rejected:
                        return Rejected(update.Rejected);
                    default:
                        continue; // a notice newer than this picker: keep waiting
                }
            }

            return Failed(FallbackReason.BadAnswer, "the call ended without a final answer");
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && IsCallFailure(e))
        {
            return call.IsCancellationRequested
                ? Failed(FallbackReason.Timeout, answered
                    ? "no final answer by the request's deadline (Picker:Queue:MaxWait) and the grace after it"
                    : string.Create(CultureInfo.InvariantCulture, $"no answer within {connectTimeout.TotalMilliseconds} ms (Picker:Queue:ConnectTimeout)"))
                : Failed(FallbackReason.Unavailable, e is RpcException rpc ? $"{rpc.StatusCode}: {rpc.Status.Detail}" : e.Message);
        }
    }

    private QueueAnswer Rejected(Rejected rejected) => rejected.Reason switch
    {
        RejectReason.QueueFull => Heard(QueueAnswer.QueueFull),
        RejectReason.Shed => Heard(QueueAnswer.Shed),
        RejectReason.WrongShard => Failed(FallbackReason.WrongShard, $"the replica asked does not own the pool: {rejected.Message}"),
        _ => Failed(FallbackReason.BadAnswer, $"rejected for an unknown reason {rejected.Reason}: {rejected.Message}"),
    };

    /// <summary>An answer that shows the queue working (a wrong-shard rejection does not).</summary>
    private QueueAnswer Heard(QueueAnswer answer)
    {
        health.Answered();
        return answer;
    }

    private QueueAnswer Failed(FallbackReason reason, string problem)
    {
        health.Failed(reason, problem);
        return QueueAnswer.Failed(reason, problem);
    }

    private static bool IsCallFailure(Exception e) =>
        e is RpcException or OperationCanceledException or HttpRequestException or IOException;
}
