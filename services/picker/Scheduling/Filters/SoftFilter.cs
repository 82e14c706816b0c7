namespace Suite.Picker.Scheduling.Filters;

/// <summary>
/// Keeps the candidates that pass a test, unless none would: a soft filter narrows the choice but never turns
/// a schedulable request into a rejection.
/// </summary>
internal static class SoftFilter
{
    public static int Keep<TTest>(Span<Candidate> candidates, in TTest test)
        where TTest : struct, ICandidateTest
    {
        var kept = 0;
        for (var i = 0; i < candidates.Length; i++)
        {
            if (test.Passes(candidates[i]))
            {
                (candidates[kept], candidates[i]) = (candidates[i], candidates[kept]);
                kept++;
            }
        }

        return kept == 0 ? candidates.Length : kept;
    }
}

internal interface ICandidateTest
{
    bool Passes(in Candidate candidate);
}
