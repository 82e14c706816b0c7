namespace Suite.Queue.Scaling;

/// <summary>What a KEDA trigger scales on (<c>scalerMetadata.metric</c>).</summary>
internal enum ScalingMetric
{
    /// <summary>Requests waiting for the pool (or for one model of it); the target is requests per replica.</summary>
    QueueDepth,

    /// <summary>The pool's average pod saturation; the target is the saturation to hold (use <c>metricType: Value</c>).</summary>
    Saturation,
}
