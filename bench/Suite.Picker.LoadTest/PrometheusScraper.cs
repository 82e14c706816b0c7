using System.Globalization;

namespace Suite.Picker.LoadTest;

/// <summary>
/// Reads a few named series from a Prometheus text page (the picker's <c>/metrics</c>), each the sum of its samples
/// over all label sets: <c>dotnet_gc_last_collection_heap_size_bytes</c> has one sample per generation.
/// </summary>
internal sealed class PrometheusScraper(Uri page, IReadOnlyList<KeyValuePair<string, string>> series) : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };

    /// <summary>Label → value for each series found on the page; null when the page could not be read.</summary>
    public SortedDictionary<string, double>? Scrape()
    {
        string text;
        try
        {
            // Called from the reporter's own thread, once per interval: blocking here holds up nothing else.
            text = _http.GetStringAsync(page).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }

        var values = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            if (line.IsEmpty || line[0] == '#')
            {
                continue;
            }

            foreach (var (label, name) in series)
            {
                if (SampleValue(line, name) is { } value)
                {
                    values[label] = values.GetValueOrDefault(label) + value;
                }
            }
        }

        return values;
    }

    public void Dispose() => _http.Dispose();

    /// <summary>The value of a sample line of series <paramref name="name"/> ("name{labels} value [timestamp]"), else null.</summary>
    private static double? SampleValue(ReadOnlySpan<char> line, string name)
    {
        if (!line.StartsWith(name, StringComparison.Ordinal) || line.Length == name.Length
            || line[name.Length] is not ('{' or ' '))
        {
            return null;
        }

        var rest = line[name.Length..];
        if (rest[0] == '{')
        {
            var close = rest.LastIndexOf('}');
            if (close < 0)
            {
                return null;
            }

            rest = rest[(close + 1)..];
        }

        rest = rest.TrimStart();
        var space = rest.IndexOf(' ');
        var number = space < 0 ? rest : rest[..space];
        return double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;
    }
}
