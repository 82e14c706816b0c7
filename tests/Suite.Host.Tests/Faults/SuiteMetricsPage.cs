using System.Globalization;

namespace Suite.Host.Tests.Faults;

/// <summary>Reads counters off the suite's Prometheus page (every service's meters, the pickers summed).</summary>
internal static class SuiteMetricsPage
{
    private static readonly HttpClient Client = new();

    /// <summary>The sum of every series of <paramref name="name"/> whose labels include <paramref name="label"/> (e.g. <c>outcome="admitted_by_queue"</c>).</summary>
    public static async Task<double> SumAsync(Uri page, string name, string label)
    {
        var text = await Client.GetStringAsync(page);
        var sum = 0.0;
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith(name + "{", StringComparison.Ordinal) && line.Contains(label, StringComparison.Ordinal))
            {
                sum += double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
            }
        }

        return sum;
    }
}
