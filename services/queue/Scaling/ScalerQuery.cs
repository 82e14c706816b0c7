using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Suite.Queue.Scaling;

/// <summary>
/// What one KEDA trigger asks about, read from its <c>scalerMetadata</c>. KEDA sends every key of the trigger's
/// metadata (<c>scalerAddress</c> too), so keys this scaler does not know are ignored; the ones it knows must be valid.
/// </summary>
/// <param name="Pool">The InferencePool's name.</param>
/// <param name="Model">A target model of the pool: its depth instead of the pool's (queue depth only).</param>
/// <param name="TargetQueueDepth">Waiting requests per replica the HPA aims for.</param>
/// <param name="TargetSaturation">Pool saturation the HPA aims for.</param>
/// <param name="ActivationQueueDepth">Active when more than this many requests wait.</param>
/// <param name="ActivationSaturation">For <see cref="ScalingMetric.Saturation"/>: also active when the pool is at least this saturated.</param>
internal sealed record ScalerQuery(
    string Pool,
    string? Model,
    ScalingMetric Metric,
    double TargetQueueDepth,
    double TargetSaturation,
    double ActivationQueueDepth,
    double ActivationSaturation)
{
    public const string PoolKey = "pool";
    public const string ModelKey = "model";
    public const string MetricKey = "metric";
    public const string TargetQueueDepthKey = "targetQueueDepth";
    public const string TargetSaturationKey = "targetSaturation";
    public const string ActivationQueueDepthKey = "activationQueueDepth";
    public const string ActivationSaturationKey = "activationSaturation";

    public const double DefaultTargetQueueDepth = 5;
    public const double DefaultTargetSaturation = 0.8;
    public const double DefaultActivationQueueDepth = 0;
    public const double DefaultActivationSaturation = 1.0;

    /// <summary>The HPA's target in the metric's own unit.</summary>
    public double Target => Metric == ScalingMetric.Saturation ? TargetSaturation : TargetQueueDepth;

    /// <summary>The target as KEDA's integer field: see <see cref="AsInteger"/>; at least 1, since a target of 0 means nothing to the HPA.</summary>
    public long TargetAsInteger => Math.Max(1, AsInteger(Target));

    /// <summary>
    /// A value as KEDA's integer fields carry it: requests for queue depth, thousandths for saturation (0.8 is 800, as
    /// Kubernetes writes 800m). KEDA reads the float fields whenever they are above 0, so the integers only matter for
    /// a value of 0 and for scalers predating the float fields; either way target and value share the unit.
    /// </summary>
    public long AsInteger(double value) =>
        (long)Math.Round(Metric == ScalingMetric.Saturation ? value * 1000 : value, MidpointRounding.AwayFromZero);

    /// <summary>Reads a trigger's metadata; <paramref name="problem"/> names the offending key otherwise.</summary>
    public static bool TryParse(
        IReadOnlyDictionary<string, string> metadata,
        [NotNullWhen(true)] out ScalerQuery? query,
        [NotNullWhen(false)] out string? problem)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        query = null;
        var pool = metadata.GetValueOrDefault(PoolKey)?.Trim();
        if (string.IsNullOrEmpty(pool))
        {
            problem = $"scalerMetadata.{PoolKey} is required: the name of the InferencePool whose queue drives this trigger.";
            return false;
        }

        var model = metadata.GetValueOrDefault(ModelKey)?.Trim();
        if (string.IsNullOrEmpty(model))
        {
            model = null;
        }

        var metric = ScalingMetric.QueueDepth;
        if (metadata.TryGetValue(MetricKey, out var metricText) && !TryParseMetric(metricText, out metric))
        {
            problem = $"scalerMetadata.{MetricKey} must be queueDepth or saturation, not \"{metricText}\".";
            return false;
        }

        if (model is not null && metric == ScalingMetric.Saturation)
        {
            problem = $"scalerMetadata.{ModelKey} applies to metric queueDepth only: saturation is the whole pool's.";
            return false;
        }

        if (!TryNumber(metadata, TargetQueueDepthKey, DefaultTargetQueueDepth, zeroAllowed: false, out var targetQueueDepth, out problem)
            || !TryNumber(metadata, TargetSaturationKey, DefaultTargetSaturation, zeroAllowed: false, out var targetSaturation, out problem)
            || !TryNumber(metadata, ActivationQueueDepthKey, DefaultActivationQueueDepth, zeroAllowed: true, out var activationQueueDepth, out problem)
            || !TryNumber(metadata, ActivationSaturationKey, DefaultActivationSaturation, zeroAllowed: true, out var activationSaturation, out problem))
        {
            return false;
        }

        query = new ScalerQuery(pool, model, metric, targetQueueDepth, targetSaturation, activationQueueDepth, activationSaturation);
        return true;
    }

    private static bool TryParseMetric(string text, out ScalingMetric metric)
    {
        var trimmed = text.Trim();
        if (trimmed.Equals("queueDepth", StringComparison.OrdinalIgnoreCase))
        {
            metric = ScalingMetric.QueueDepth;
            return true;
        }

        metric = ScalingMetric.Saturation;
        return trimmed.Equals("saturation", StringComparison.OrdinalIgnoreCase);
    }

    private static bool TryNumber(
        IReadOnlyDictionary<string, string> metadata,
        string key,
        double fallback,
        bool zeroAllowed,
        out double value,
        [NotNullWhen(false)] out string? problem)
    {
        problem = null;
        if (!metadata.TryGetValue(key, out var text))
        {
            value = fallback;
            return true;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value)
            && double.IsFinite(value)
            && (zeroAllowed ? value >= 0 : value > 0))
        {
            return true;
        }

        problem = $"scalerMetadata.{key} must be a number {(zeroAllowed ? "of 0 or more" : "above 0")}, not \"{text}\".";
        return false;
    }
}
