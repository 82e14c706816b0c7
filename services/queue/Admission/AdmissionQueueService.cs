using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Suite.Contracts.Queue;
using Suite.Queue.Waiting;
using CatalogCriticality = Suite.Contracts.Catalog.Criticality;

namespace Suite.Queue.Admission;

/// <summary>
/// The admission API: decides at once or queues, then answers once. A queued request first gets a <c>Queued</c>
/// notice (so the picker knows the queue is alive while it waits); a cancelled call withdraws it.
/// </summary>
internal sealed partial class AdmissionQueueService(AdmissionController controller, ShardOwnership shards, ILogger<AdmissionQueueService> logger)
    : AdmissionQueue.AdmissionQueueBase
{
    private const string DefaultFlow = "default-flow";

    public override async Task Admit(AdmitRequest request, IServerStreamWriter<AdmitUpdate> responseStream, ServerCallContext context)
    {
        if (string.IsNullOrEmpty(request.Pool))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "pool is required."));
        }

        if (!shards.Owns(request.Pool))
        {
            var owner = shards.OwnerOf(request.Pool);
            LogWrongShard(request.Pool, shards.Index, owner);
            await responseStream.WriteAsync(new AdmitUpdate
            {
                Rejected = new Rejected
                {
                    Reason = RejectReason.WrongShard,
                    Message = $"Pool {request.Pool} belongs to queue shard {owner} of {shards.Count}, not to shard {shards.Index}: "
                        + "the picker's Picker:Queue:Addresses must list every shard in index order.",
                },
            });
            return;
        }

        var admission = controller.For(request.Pool);
        var ticket = admission.Enter(new AdmissionArgs(
            request.Pool,
            request.RequestId,
            ToCriticality(request.Criticality),
            request.HasPriority ? request.Priority : null,
            string.IsNullOrEmpty(request.FairnessId) ? DefaultFlow : request.FairnessId,
            request.TargetModel,
            Math.Max(0, request.SizeBytes),
            request.Deadline?.ToDateTimeOffset()));
        var outcome = ticket.Decided ?? await WaitAsync(admission, ticket, responseStream, context.CancellationToken);
        if (outcome.Kind != QueueOutcomeKind.Withdrawn)
        {
            await responseStream.WriteAsync(ToUpdate(outcome));
        }
    }

    private static async Task<QueueOutcome> WaitAsync(
        PoolAdmission admission, AdmissionTicket ticket, IServerStreamWriter<AdmitUpdate> responseStream, CancellationToken cancellationToken)
    {
        try
        {
            await responseStream.WriteAsync(new AdmitUpdate { Queued = new Queued { Band = ticket.Band, Depth = ticket.Depth } }, cancellationToken);
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // Gone before the notice went out: the wait below withdraws the request at once.
        }

        return await admission.WaitAsync(ticket.Waiting!, cancellationToken);
    }

    private static AdmitUpdate ToUpdate(QueueOutcome outcome) => outcome.Kind switch
    {
        QueueOutcomeKind.Admitted => new AdmitUpdate { Admitted = new Admitted { Waited = Duration.FromTimeSpan(outcome.Waited) } },
        QueueOutcomeKind.Expired => new AdmitUpdate { Expired = new Expired { Waited = Duration.FromTimeSpan(outcome.Waited) } },
        QueueOutcomeKind.Shed => new AdmitUpdate
        {
            Rejected = new Rejected { Reason = RejectReason.Shed, Message = "The pool is saturated and the request is sheddable." },
        },
        _ => new AdmitUpdate
        {
            Rejected = new Rejected { Reason = RejectReason.QueueFull, Message = "The request's priority band is full." },
        },
    };

    private static CatalogCriticality ToCriticality(Criticality criticality) => criticality switch
    {
        Criticality.Critical => CatalogCriticality.Critical,
        Criticality.Sheddable => CatalogCriticality.Sheddable,
        _ => CatalogCriticality.Standard,
    };

    [LoggerMessage(1, LogLevel.Warning, "Admission for pool {Pool} reached shard {Shard}, but shard {Owner} owns it: check the pickers' queue addresses")]
    private partial void LogWrongShard(string pool, int shard, int owner);
}
