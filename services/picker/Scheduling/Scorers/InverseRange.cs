namespace Suite.Picker.Scheduling.Scorers;

/// <summary>Reads one "lower is better" figure off a candidate.</summary>
internal interface ICandidateFigure
{
    static abstract int Read(in Candidate candidate);
}

/// <summary>Scores "lower is better" figures as (max − v) / (max − min); when all are equal every candidate gets 1.</summary>
internal static class InverseRange
{
    public static void Score<TFigure>(ReadOnlySpan<Candidate> candidates, Span<double> scores)
        where TFigure : ICandidateFigure
    {
        var min = int.MaxValue;
        var max = int.MinValue;
        foreach (ref readonly var candidate in candidates)
        {
            var value = TFigure.Read(candidate);
            min = Math.Min(min, value);
            max = Math.Max(max, value);
        }

        if (max == min)
        {
            scores[..candidates.Length].Fill(1.0);
            return;
        }

        double range = max - min;
        for (var i = 0; i < candidates.Length; i++)
        {
            scores[i] = (max - TFigure.Read(candidates[i])) / range;
        }
    }
}
