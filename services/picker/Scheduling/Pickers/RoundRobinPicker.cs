namespace Suite.Picker.Scheduling.Pickers;

/// <summary>
/// Each endpoint in turn, ignoring scores, as a Kubernetes Service would: a baseline for benchmarks.
/// Fallbacks are the endpoints that follow the primary.
/// </summary>
public sealed class RoundRobinPicker : IEndpointPicker
{
    public const string TypeName = "round-robin";

    private long _next = -1;

    public string Name => TypeName;

    public int Pick(ReadOnlySpan<double> totals, Span<int> chosen)
    {
        var wanted = Math.Min(chosen.Length, totals.Length);
        var start = (int)((ulong)Interlocked.Increment(ref _next) % (ulong)totals.Length);
        for (var n = 0; n < wanted; n++)
        {
            chosen[n] = (start + n) % totals.Length;
        }

        return wanted;
    }
}
