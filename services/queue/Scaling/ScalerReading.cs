using Suite.Queue.Pressure;

namespace Suite.Queue.Scaling;

/// <summary>One trigger's answer now: its metric's value and whether the workload should run at all.</summary>
internal readonly record struct ScalerReading(double Value, bool Active)
{
    /// <summary>
    /// Active when more requests wait (for the pool, or for the trigger's model) than the activation depth; for a
    /// saturation trigger, also when the pool is at least the activation saturation. Waiting requests are the only
    /// signal a pool without pods gives (it is saturated by definition, so everything sent to it waits): they scale it
    /// up from zero. Saturation does not activate queue-depth triggers, because a pool without pods counts as
    /// saturated and would then never be let go to zero. A pool this replica does not know reads as 0 and inactive.
    /// </summary>
    public static ScalerReading Of(ScalerQuery query, PoolPressure? pressure)
    {
        if (pressure is null)
        {
            return default;
        }

        var depth = query.Model is { } model ? pressure.DepthByModel.GetValueOrDefault(model) : pressure.QueueDepth;
        var saturationTrigger = query.Metric == ScalingMetric.Saturation;
        var active = depth > query.ActivationQueueDepth || (saturationTrigger && pressure.Saturation >= query.ActivationSaturation);
        return new ScalerReading(saturationTrigger ? pressure.Saturation : depth, active);
    }
}
