using System.Diagnostics;

namespace Suite.ModelSim.Load;

/// <summary>
/// One streaming completion, timed with Stopwatch timestamps: sent, first chunk carrying text (0 if none came) and
/// the <c>[DONE]</c> line (or the failure). <see cref="Error"/> is null only for a complete stream with usage.
/// </summary>
internal readonly record struct CompletionOutcome(long Sent, long FirstText, long Ended, TokenUsage Usage, string? Error)
{
    public double TimeToFirstTokenMs => Milliseconds(FirstText - Sent);

    public double EndToEndMs => Milliseconds(Ended - Sent);

    /// <summary>Mean gap between output tokens after the first; null for a single token.</summary>
    public double? TimePerOutputTokenMs =>
        Usage.CompletionTokens > 1 ? Milliseconds(Ended - FirstText) / (Usage.CompletionTokens - 1) : null;

    private static double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
