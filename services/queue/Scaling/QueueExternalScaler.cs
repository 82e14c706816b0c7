using System.Collections.Concurrent;
using System.Threading.Channels;
using Grpc.Core;
using Suite.Contracts.Keda;
using Suite.Queue.Admission;
using Suite.Queue.Pressure;

namespace Suite.Queue.Scaling;

/// <summary>
/// KEDA's external scaler (PROTOCOLS.md §5) over this replica's pool pressure, so model-server Deployments scale on
/// what waits for them, from zero too. Each call reads its trigger's <c>scalerMetadata</c> (<see cref="ScalerQuery"/>);
/// bad metadata is InvalidArgument with a message naming the key. KEDA calls only the <c>scalerAddress</c> it is given,
/// so with pools sharded over several replicas that address must reach the pool's owner: another replica answers
/// FailedPrecondition naming the owning shard, since an error keeps KEDA from scaling to zero where 0 would not. A
/// pool this replica owns but has not seen yet (no snapshot, no request) reads as 0 and inactive: nothing waits for it.
/// </summary>
/// <param name="shards">Null where the host does not shard (every pool is this replica's).</param>
internal sealed class QueueExternalScaler(IPoolPressureSource pressure, ILogger<QueueExternalScaler> logger, ShardOwnership? shards = null)
    : ExternalScaler.ExternalScalerBase
{
    // Pools already warned about: KEDA asks every polling interval, the log should say it once.
    private readonly ConcurrentDictionary<string, byte> _warnedPools = new(StringComparer.Ordinal);

    public override Task<IsActiveResponse> IsActive(ScaledObjectRef request, ServerCallContext context)
    {
        var query = ParseOwned(request);
        return Task.FromResult(new IsActiveResponse { Result = Read(query, request).Active });
    }

    public override Task<GetMetricSpecResponse> GetMetricSpec(ScaledObjectRef request, ServerCallContext context)
    {
        var query = Parse(request);
        var spec = new MetricSpec
        {
            MetricName = ScalerMetricNames.For(query),
            TargetSize = query.TargetAsInteger,
            TargetSizeFloat = query.Target,
        };
        return Task.FromResult(new GetMetricSpecResponse { MetricSpecs = { spec } });
    }

    public override Task<GetMetricsResponse> GetMetrics(GetMetricsRequest request, ServerCallContext context)
    {
        var target = request.ScaledObjectRef ?? throw Invalid("scaledObjectRef is required.");
        var query = ParseOwned(target);
        var reading = Read(query, target);
        var value = new MetricValue
        {
            MetricName = ScalerMetricNames.For(query),
            MetricValue_ = query.AsInteger(reading.Value),
            MetricValueFloat = reading.Value,
        };
        return Task.FromResult(new GetMetricsResponse { MetricValues = { value } });
    }

    /// <summary>The activity now, then again each time it flips, until KEDA cancels the call.</summary>
    public override async Task StreamIsActive(ScaledObjectRef request, IServerStreamWriter<IsActiveResponse> responseStream, ServerCallContext context)
    {
        var query = ParseOwned(request);
        var cancellationToken = context.CancellationToken;

        // Changed is raised on the queue's own threads, for every pool: the handler only signals, the writing happens here.
        var changed = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
        void OnChanged(PoolPressure update)
        {
            if (string.Equals(update.Pool, query.Pool, StringComparison.Ordinal))
            {
                changed.Writer.TryWrite(true);
            }
        }

        pressure.Changed += OnChanged;
        ScalingLog.StreamOpened(logger, request.Namespace, request.Name, query.Pool);
        try
        {
            bool? sent = null;
            while (true)
            {
                var active = Read(query, request).Active;
                if (active != sent)
                {
                    await responseStream.WriteAsync(new IsActiveResponse { Result = active }, cancellationToken);
                    sent = active;
                }

                await changed.Reader.ReadAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // KEDA closed the stream (the ScaledObject changed or went away): nothing left to do.
        }
        finally
        {
            pressure.Changed -= OnChanged;
            ScalingLog.StreamClosed(logger, request.Namespace, request.Name, query.Pool);
        }
    }

    private ScalerQuery Parse(ScaledObjectRef target)
    {
        if (ScalerQuery.TryParse(target.ScalerMetadata, out var query, out var problem))
        {
            return query;
        }

        ScalingLog.InvalidMetadata(logger, target.Namespace, target.Name, problem);
        throw Invalid(problem);
    }

    /// <summary>The trigger's query, for a pool whose figures this replica holds; GetMetricSpec needs no figures.</summary>
    private ScalerQuery ParseOwned(ScaledObjectRef target)
    {
        var query = Parse(target);
        if (shards is null || shards.Owns(query.Pool))
        {
            return query;
        }

        var owner = shards.OwnerOf(query.Pool);
        if (_warnedPools.TryAdd(query.Pool, 0))
        {
            ScalingLog.NotOwnedPool(logger, target.Namespace, target.Name, query.Pool, owner);
        }

        throw new RpcException(new Status(
            StatusCode.FailedPrecondition,
            $"Pool {query.Pool} belongs to queue shard {owner} of {shards.Count}, not to this replica (shard {shards.Index}): "
            + $"the trigger's scalerAddress must reach shard {owner}."));
    }

    private ScalerReading Read(ScalerQuery query, ScaledObjectRef target)
    {
        var current = pressure.ForPool(query.Pool);
        if (current is null && _warnedPools.TryAdd(query.Pool, 0))
        {
            ScalingLog.UnseenPool(logger, target.Namespace, target.Name, query.Pool);
        }

        return ScalerReading.Of(query, current);
    }

    private static RpcException Invalid(string problem) => new(new Status(StatusCode.InvalidArgument, problem));
}
