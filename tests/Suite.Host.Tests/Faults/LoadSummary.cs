using System.Globalization;
using System.Text;

namespace Suite.Host.Tests.Faults;

/// <summary>Results counted by outcome, and a one-line account for assertion messages and test output.</summary>
internal sealed class LoadSummary(IReadOnlyList<LoadResult> results)
{
    public IReadOnlyList<LoadResult> Results { get; } = results;

    public int Total => Results.Count;

    public int Count(LoadOutcome outcome) => Results.Count(result => result.Outcome == outcome);

    /// <summary>Requests nobody was told about: hung past the client's timeout, or cut short without an error.</summary>
    public int Lost => Count(LoadOutcome.Hung) + Count(LoadOutcome.Truncated) + Count(LoadOutcome.Unreachable);

    public IEnumerable<LoadResult> StartedBetween(TimeSpan from, TimeSpan to) =>
        Results.Where(result => result.Started >= from && result.Started < to);

    public override string ToString()
    {
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"{Total} requests:");
        foreach (var outcome in Enum.GetValues<LoadOutcome>())
        {
            text.Append(CultureInfo.InvariantCulture, $" {outcome} {Count(outcome)}");
        }

        var statuses = Results.Where(r => r.Outcome == LoadOutcome.ErrorStatus).GroupBy(r => r.Status).OrderBy(g => g.Key);
        text.Append(CultureInfo.InvariantCulture, $"; error statuses: {string.Join(", ", statuses.Select(g => $"{g.Key} ×{g.Count()}"))}");
        if (Results.FirstOrDefault(r => r.Outcome is LoadOutcome.Hung or LoadOutcome.Truncated or LoadOutcome.Unreachable) is { } lost)
        {
            text.Append(CultureInfo.InvariantCulture, $"; first lost: {lost}");
        }

        return text.ToString();
    }
}
