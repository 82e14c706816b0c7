using System.Globalization;

namespace Suite.Collector.Load;

/// <summary>
/// <c>--name value</c> pairs. Each mode reads the flags it knows; <see cref="RejectUnread"/> then turns a misspelt
/// or foreign flag into an <see cref="ArgumentException"/> instead of a silently ignored setting.
/// </summary>
internal sealed class Flags
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public Flags(IReadOnlyList<string> args)
    {
        for (var i = 0; i < args.Count; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count)
            {
                throw new ArgumentException($"Expected '--flag value' pairs, found '{args[i]}'{(i + 1 >= args.Count ? " without a value" : "")}.");
            }

            if (!_values.TryAdd(args[i], args[i + 1]))
            {
                throw new ArgumentException($"{args[i]} is given twice.");
            }
        }
    }

    public string? Text(string name)
    {
        _read.Add(name);
        return _values.GetValueOrDefault(name);
    }

    public string Text(string name, string fallback) => Text(name) ?? fallback;

    public int Integer(string name, int fallback, int min, int max)
    {
        var text = Text(name);
        if (text is null)
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new ArgumentException($"{name} must be a whole number from {min} to {max}, not '{text}'.");
    }

    public int RequiredInteger(string name, int min, int max) =>
        Text(name) is null ? throw new ArgumentException($"{name} is required.") : Integer(name, 0, min, max);

    public double Number(string name, double fallback, double min, double max)
    {
        var text = Text(name);
        if (text is null)
        {
            return fallback;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new ArgumentException($"{name} must be a number from {min} to {max}, not '{text}'.");
    }

    public void RejectUnread()
    {
        var unknown = _values.Keys.Where(name => !_read.Contains(name)).ToArray();
        if (unknown.Length > 0)
        {
            throw new ArgumentException($"Unknown flag(s) for this mode: {string.Join(", ", unknown)}.");
        }
    }
}
