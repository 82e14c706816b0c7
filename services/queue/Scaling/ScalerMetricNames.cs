using System.Globalization;
using System.Text;

namespace Suite.Queue.Scaling;

/// <summary>
/// The metric name a trigger's GetMetricSpec reports: <c>queue-depth-&lt;pool&gt;</c>,
/// <c>queue-depth-&lt;pool&gt;-&lt;model&gt;</c> or <c>saturation-&lt;pool&gt;</c>, in lower-case letters, digits and
/// dashes only, which every HPA and KEDA version accepts (KEDA puts <c>s&lt;trigger index&gt;-</c> in front). When a
/// name had to be changed to fit (upper case, <c>/</c>, <c>.</c>), a hash of the original pool and model is appended,
/// so two models that read alike after the change still get different names. The same query always gets the same name.
/// </summary>
internal static class ScalerMetricNames
{
    public static string For(ScalerQuery query)
    {
        var name = new StringBuilder(query.Metric == ScalingMetric.Saturation ? "saturation" : "queue-depth");
        var changed = Append(name, query.Pool);
        if (query.Model is { } model)
        {
            changed |= Append(name, model);
        }

        if (changed)
        {
            name.Append('-').Append(Hash(query.Pool, query.Model).ToString("x8", CultureInfo.InvariantCulture));
        }

        return name.ToString();
    }

    /// <summary>Appends "-" and the part with every run of other characters turned into one dash; true when that changed it.</summary>
    private static bool Append(StringBuilder name, string part)
    {
        var start = name.Length;
        name.Append('-');
        var dash = true;
        foreach (var c in part)
        {
            var lower = char.ToLowerInvariant(c);
            if (lower is >= 'a' and <= 'z' or >= '0' and <= '9')
            {
                name.Append(lower);
                dash = false;
            }
            else if (!dash)
            {
                name.Append('-');
                dash = true;
            }
        }

        if (dash)
        {
            name.Length--; // a trailing dash, or the separator of a part that kept nothing
        }

        var kept = name.Length - start - 1;
        return kept != part.Length || !part.AsSpan().SequenceEqual(name.ToString(start + 1, Math.Max(0, kept)));
    }

    /// <summary>FNV-1a (32 bits) over the pool, a 0 separator and the model: fixed, so names survive restarts and upgrades.</summary>
    private static uint Hash(string pool, string? model)
    {
        var hash = 2166136261u;
        foreach (var c in pool)
        {
            hash = (hash ^ c) * 16777619u;
        }

        hash *= 16777619u; // the separator, 0: xor with it is a no-op
        foreach (var c in model ?? "")
        {
            hash = (hash ^ c) * 16777619u;
        }

        return hash;
    }
}
