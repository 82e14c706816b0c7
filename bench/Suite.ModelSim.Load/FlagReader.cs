using System.Globalization;

namespace Suite.ModelSim.Load;

/// <summary>Walks <c>--flag value</c> arguments; the option classes say what each flag means.</summary>
internal sealed class FlagReader(IReadOnlyList<string> args)
{
    private int _next;

    public string Flag { get; private set; } = "";

    public bool MoveNext()
    {
        if (_next >= args.Count)
        {
            return false;
        }

        Flag = args[_next++];
        return true;
    }

    public string Text() => _next < args.Count ? args[_next++] : throw new ArgumentException($"{Flag} needs a value.");

    public double Number(double min)
    {
        var text = Text();
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= min && double.IsFinite(value)
            ? value
            : throw new ArgumentException($"{Flag} needs a number ≥ {min.ToString(CultureInfo.InvariantCulture)}, not '{text}'.");
    }

    public int Integer(int min)
    {
        var text = Text();
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min
            ? value
            : throw new ArgumentException($"{Flag} needs a whole number ≥ {min}, not '{text}'.");
    }

    public int[] Integers(int min)
    {
        var text = Text();
        var values = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return values.Length > 0 && values.All(v => int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min)
            ? [.. values.Select(v => int.Parse(v, CultureInfo.InvariantCulture))]
            : throw new ArgumentException($"{Flag} needs a comma-separated list of whole numbers ≥ {min}, not '{text}'.");
    }

    public Uri Url()
    {
        var text = Text();
        return Uri.TryCreate(text, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"
            ? url
            : throw new ArgumentException($"{Flag} needs an http(s) URL, not '{text}'.");
    }

    public ArgumentException Unknown() => new($"Unknown flag '{Flag}'.");
}
