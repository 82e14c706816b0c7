namespace Suite.Picker.Scheduling;

/// <summary>Per-thread working arrays, so a decision allocates nothing that grows with the pool.</summary>
internal sealed class ScheduleScratch
{
    [ThreadStatic]
    private static ScheduleScratch? t_current;

    public Candidate[] Candidates { get; private set; } = new Candidate[64];

    public Candidate[] Stale { get; private set; } = new Candidate[16];

    public double[] Totals { get; private set; } = new double[64];

    /// <summary>Per-scorer scores, row-major: scorer s, candidate c at [s * candidates + c].</summary>
    public double[] ScorerScores { get; private set; } = new double[256];

    public int[] Chosen { get; private set; } = new int[8];

    public static ScheduleScratch Rent(int endpoints, int scorers, int destinations)
    {
        var scratch = t_current ??= new ScheduleScratch();
        scratch.Ensure(endpoints, scorers, destinations);
        return scratch;
    }

    private void Ensure(int endpoints, int scorers, int destinations)
    {
        if (Candidates.Length < endpoints)
        {
            var size = Math.Max(endpoints, Candidates.Length * 2);
            Candidates = new Candidate[size];
            Stale = new Candidate[size];
            Totals = new double[size];
        }

        if (ScorerScores.Length < endpoints * scorers)
        {
            ScorerScores = new double[Math.Max(endpoints * scorers, ScorerScores.Length * 2)];
        }

        if (Chosen.Length < destinations)
        {
            Chosen = new int[destinations];
        }
    }

    /// <summary>Drops endpoint references so a finished decision does not keep an old snapshot alive.</summary>
    public void Clear(int candidates, int stale)
    {
        Array.Clear(Candidates, 0, candidates);
        Array.Clear(Stale, 0, stale);
    }
}
