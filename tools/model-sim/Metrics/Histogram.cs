namespace Suite.ModelSim.Metrics;

/// <summary>A cumulative Prometheus histogram over fixed upper bounds (seconds), plus sum and count.</summary>
internal sealed class Histogram
{
    private readonly long[] _counts;

    public Histogram(double[] upperBounds)
    {
        UpperBounds = upperBounds;
        _counts = new long[upperBounds.Length];
    }

    private Histogram(Histogram source)
    {
        UpperBounds = source.UpperBounds;
        _counts = (long[])source._counts.Clone();
        Sum = source.Sum;
        Count = source.Count;
    }

    public double[] UpperBounds { get; }

    public double Sum { get; private set; }

    public long Count { get; private set; }

    /// <summary>Observations ≤ <c>UpperBounds[i]</c>, cumulative as the exposition format wants them.</summary>
    public long CumulativeCount(int i) => _counts[i];

    public void Observe(double value)
    {
        for (var i = UpperBounds.Length - 1; i >= 0 && value <= UpperBounds[i]; i--)
        {
            _counts[i]++;
        }

        Sum += value;
        Count++;
    }

    public Histogram Copy() => new(this);
}
