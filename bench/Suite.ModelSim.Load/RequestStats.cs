namespace Suite.ModelSim.Load;

/// <summary>
/// The requests of one measured window, summed up. Rates divide by the window's wall time;
/// <see cref="OutputTokensPerSecond"/> counts the usage's completion_tokens of requests that ended in the window,
/// <see cref="StreamedTokensPerSecond"/> every text chunk that arrived in it (the two agree in a steady state).
/// <see cref="CachedPromptTokens"/> should be 0: every prompt is unique.
/// </summary>
internal sealed record RequestStats(
    double Seconds,
    int Completed,
    int Errors,
    SortedDictionary<string, int> ErrorKinds,
    long PromptTokens,
    long CachedPromptTokens,
    long CompletionTokens,
    double OutputTokensPerSecond,
    double StreamedTokensPerSecond,
    double RequestsPerSecond,
    Percentiles TimeToFirstTokenMs,
    double MeanTimePerOutputTokenMs,
    double MeanEndToEndMs)
{
    public static RequestStats Of(LoadWindow window)
    {
        var ok = window.Outcomes.Where(o => o.Error is null).ToList();
        var errorKinds = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var failed in window.Outcomes.Where(o => o.Error is not null))
        {
            errorKinds[failed.Error!] = errorKinds.GetValueOrDefault(failed.Error!) + 1;
        }

        var completionTokens = ok.Sum(o => (long)o.Usage.CompletionTokens);
        var perToken = ok.Select(o => o.TimePerOutputTokenMs).OfType<double>().ToList();
        return new RequestStats(
            Math.Round(window.Seconds, 3),
            ok.Count,
            window.Outcomes.Count - ok.Count,
            errorKinds,
            ok.Sum(o => (long)o.Usage.PromptTokens),
            ok.Sum(o => (long)o.Usage.CachedTokens),
            completionTokens,
            Math.Round(completionTokens / window.Seconds, 1),
            Math.Round(window.StreamedTokens / window.Seconds, 1),
            Math.Round(ok.Count / window.Seconds, 3),
            Percentiles.Of(ok.Select(o => o.TimeToFirstTokenMs)),
            Math.Round(perToken.Count == 0 ? 0 : perToken.Average(), 3),
            Math.Round(ok.Count == 0 ? 0 : ok.Average(o => o.EndToEndMs), 1));
    }
}
