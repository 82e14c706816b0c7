using System.Buffers;
using System.Collections.Immutable;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Suite.MetricsCollector.Scraping;

/// <summary>
/// Reads the families one engine's <see cref="EngineMetricNames"/> ask for out of a page in the Prometheus text
/// format (0.0.4). Every other line is dismissed by its metric name, compared as UTF-8 bytes, so it costs no
/// allocation and is not validated; the only strings made are the model name, the current LoRA adapters and an
/// error message. Immutable: one instance serves every pod of its engine type concurrently.
/// </summary>
internal sealed class PrometheusTextScanner
{
    // Unescaped label values up to this many bytes are decoded on the stack; longer ones borrow a pooled array.
    private const int StackBufferSize = 256;

    private readonly Target[] _targets;
    private readonly byte[] _blockSizeLabel;
    private readonly byte[] _blockCountLabel;

    public PrometheusTextScanner(EngineMetricNames names)
    {
        Names = names;
        var targets = new List<Target>
        {
            new(Role.Waiting, names.Waiting),
            new(Role.Running, names.Running),
            new(Role.KvCacheUsage, names.KvCacheUsage),
        };
        if (names.KvCacheUsageFallback is { } fallback)
        {
            targets.Add(new Target(Role.KvCacheUsageFallback, fallback));
        }

        if (names.LoraInfo is { } lora)
        {
            targets.Add(new Target(Role.LoraInfo, new MetricSelector(lora)));
        }

        if (names.CacheConfig is { } cache)
        {
            targets.Add(new Target(Role.CacheConfig, new MetricSelector(cache.Family)));
        }

        _targets = [.. targets];
        _blockSizeLabel = names.CacheConfig is null ? [] : Encoding.UTF8.GetBytes(names.CacheConfig.BlockSizeLabel);
        _blockCountLabel = names.CacheConfig is null ? [] : Encoding.UTF8.GetBytes(names.CacheConfig.BlockCountLabel);
    }

    private enum Role
    {
        Waiting,
        Running,
        KvCacheUsage,
        KvCacheUsageFallback,
        LoraInfo,
        CacheConfig,
    }

    public EngineMetricNames Names { get; }

    private static ReadOnlySpan<byte> Blanks => " \t\r"u8;

    private static ReadOnlySpan<byte> NameEnd => "{ \t"u8;

    /// <summary>Reads a whole response body; never throws for what the page contains.</summary>
    public ScrapedMetrics Parse(ReadOnlySpan<byte> page)
    {
        var state = new PageState();
        var remaining = page;
        var lineNumber = 0;
        while (!remaining.IsEmpty)
        {
            lineNumber++;
            var newline = remaining.IndexOf((byte)'\n');
            var line = (newline < 0 ? remaining : remaining[..newline]).Trim(Blanks);
            remaining = newline < 0 ? default : remaining[(newline + 1)..];
            // HELP, TYPE and comments; they could never match a family name anyway, this only skips them sooner.
            if (line.IsEmpty || line[0] == (byte)'#')
            {
                continue;
            }

            var nameLength = line.IndexOfAny(NameEnd);
            if (nameLength < 0)
            {
                nameLength = line.Length;
            }

            var matches = Match(line[..nameLength]);
            if (matches != 0 && ReadSample(line, nameLength, matches, lineNumber, ref state) is { } error)
            {
                return ScrapedMetrics.Failed(error);
            }
        }

        return Finish(ref state);
    }

    // A bit per target whose family is this name; several when one family feeds several values (Triton).
    private int Match(ReadOnlySpan<byte> name)
    {
        var matches = 0;
        for (var i = 0; i < _targets.Length; i++)
        {
            if (name.SequenceEqual(_targets[i].Family))
            {
                matches |= 1 << i;
            }
        }

        return matches;
    }

    private string? ReadSample(ReadOnlySpan<byte> line, int nameLength, int matches, int lineNumber, ref PageState state)
    {
        var family = _targets[int.TrailingZeroCount(matches)].Selector.Family;
        if (ParseSample(line[nameLength..], family, lineNumber, out var labels, out var value) is { } syntaxError)
        {
            return syntaxError;
        }

        for (var i = 0; i < _targets.Length; i++)
        {
            var target = _targets[i];
            if ((matches & (1 << i)) == 0 || !target.Accepts(labels))
            {
                continue;
            }

            switch (target.Role)
            {
                case Role.Waiting:
                    if (!double.IsFinite(value))
                    {
                        return NotFinite(lineNumber, target.Selector, value, "a request count");
                    }

                    state.Waiting += value;
                    state.HasWaiting = true;
                    if (!state.HasModelName && TryFindLabel(labels, "model_name"u8, out var modelName))
                    {
                        state.ModelName = modelName;
                        state.HasModelName = true;
                    }

                    break;
                case Role.Running:
                    if (!double.IsFinite(value))
                    {
                        return NotFinite(lineNumber, target.Selector, value, "a request count");
                    }

                    state.Running += value;
                    state.HasRunning = true;
                    break;
                case Role.KvCacheUsage:
                    if (!double.IsFinite(value))
                    {
                        return NotFinite(lineNumber, target.Selector, value, "KV-cache use");
                    }

                    state.KvCacheUsage = state.HasKvCacheUsage ? Math.Max(state.KvCacheUsage, value) : value;
                    state.HasKvCacheUsage = true;
                    break;
                case Role.KvCacheUsageFallback:
                    // Only an error if the fallback is what gets reported.
                    if (!double.IsFinite(value) && state.FallbackNotFiniteLine == 0)
                    {
                        state.FallbackNotFiniteLine = lineNumber;
                        state.FallbackNotFiniteValue = value;
                    }

                    state.KvCacheUsageFallback = state.HasKvCacheUsageFallback ? Math.Max(state.KvCacheUsageFallback, value) : value;
                    state.HasKvCacheUsageFallback = true;
                    break;
                case Role.LoraInfo:
                    // The value is when the series was last current; the newest one is the engine's state now.
                    var updated = double.IsNaN(value) ? double.NegativeInfinity : value;
                    if (!state.HasLora || updated > state.LoraUpdated)
                    {
                        state.HasLora = true;
                        state.LoraUpdated = updated;
                        TryFindLabel(labels, "max_lora"u8, out state.MaxLora);
                        TryFindLabel(labels, "running_lora_adapters"u8, out state.RunningAdapters);
                        TryFindLabel(labels, "waiting_lora_adapters"u8, out state.WaitingAdapters);
                    }

                    break;
                case Role.CacheConfig:
                    if (!state.HasCacheConfig)
                    {
                        state.HasCacheConfig = true;
                        state.BlockSize = WholeNumberLabel(labels, _blockSizeLabel);
                        state.BlockCount = WholeNumberLabel(labels, _blockCountLabel);
                    }

                    break;
            }
        }

        return null;
    }

    private ScrapedMetrics Finish(ref PageState state)
    {
        if (!state.HasWaiting)
        {
            return ScrapedMetrics.Failed($"the page has no {Names.Waiting} series");
        }

        if (!state.HasRunning)
        {
            return ScrapedMetrics.Failed($"the page has no {Names.Running} series");
        }

        var kvCacheUsage = state.KvCacheUsage;
        if (!state.HasKvCacheUsage)
        {
            if (!state.HasKvCacheUsageFallback)
            {
                return ScrapedMetrics.Failed(Names.KvCacheUsageFallback is null
                    ? $"the page has no {Names.KvCacheUsage} series"
                    : $"the page has no {Names.KvCacheUsage} series (nor {Names.KvCacheUsageFallback})");
            }

            if (state.FallbackNotFiniteLine > 0)
            {
                return ScrapedMetrics.Failed(
                    NotFinite(state.FallbackNotFiniteLine, Names.KvCacheUsageFallback!, state.FallbackNotFiniteValue, "KV-cache use"));
            }

            kvCacheUsage = state.KvCacheUsageFallback;
        }

        return new ScrapedMetrics
        {
            Waiting = state.Waiting,
            Running = state.Running,
            KvCacheUsage = kvCacheUsage,
            ModelName = state.HasModelName ? DecodeLabelValue(state.ModelName) : null,
            MaxLora = state.HasLora && int.TryParse(state.MaxLora, NumberStyles.None, CultureInfo.InvariantCulture, out var maxLora) ? maxLora : 0,
            RunningAdapters = state.HasLora ? SplitAdapters(state.RunningAdapters) : [],
            WaitingAdapters = state.HasLora ? SplitAdapters(state.WaitingAdapters) : [],
            BlockSize = state.BlockSize,
            BlockCount = state.BlockCount,
        };
    }

    /// <summary>Checks the part of a sample line after its name: labels, value, optional timestamp.</summary>
    /// <param name="labels">The text between the braces, validated, for <see cref="TryFindLabel"/>.</param>
    private static string? ParseSample(
        ReadOnlySpan<byte> rest, string family, int lineNumber, out ReadOnlySpan<byte> labels, out double value)
    {
        labels = default;
        value = 0;
        rest = rest.TrimStart(Blanks);
        var hasLabels = !rest.IsEmpty && rest[0] == (byte)'{';
        if (hasLabels)
        {
            var close = FindLabelsEnd(rest, family, lineNumber, out var labelError);
            if (labelError is not null)
            {
                return labelError;
            }

            labels = rest[1..close];
            rest = rest[(close + 1)..].TrimStart(Blanks);
        }

        if (rest.IsEmpty)
        {
            return $"line {lineNumber}: expected a value after {(hasLabels ? "the labels of " : "")}{family}";
        }

        var valueText = Token(rest);
        if (!TryParseValue(valueText, out value))
        {
            return $"line {lineNumber}: the value of {family} is not a number: '{Excerpt(valueText)}'";
        }

        rest = rest[valueText.Length..].TrimStart(Blanks);
        if (rest.IsEmpty)
        {
            return null;
        }

        var timestamp = Token(rest);
        if (!long.TryParse(timestamp, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
        {
            return $"line {lineNumber}: the timestamp of {family} is not a whole number of milliseconds: '{Excerpt(timestamp)}'";
        }

        rest = rest[timestamp.Length..].TrimStart(Blanks);
        return rest.IsEmpty ? null : $"line {lineNumber}: unexpected text after the timestamp of {family}: '{Excerpt(rest)}'";
    }

    /// <summary>The index of the <c>}</c> closing the labels that <paramref name="text"/> opens; -1 and an error if malformed.</summary>
    private static int FindLabelsEnd(ReadOnlySpan<byte> text, string family, int lineNumber, out string? error)
    {
        error = null;
        var i = 1;
        while (true)
        {
            i = SkipBlanks(text, i);
            if (i < text.Length && text[i] == (byte)'}')
            {
                return i;
            }

            var nameStart = i;
            while (i < text.Length && IsLabelNameByte(text[i], first: i == nameStart))
            {
                i++;
            }

            if (i == nameStart)
            {
                error = i == text.Length
                    ? $"line {lineNumber}: the labels of {family} are not closed with '}}'"
                    : $"line {lineNumber}: expected a label name in the labels of {family}";
                return -1;
            }

            var label = text[nameStart..i];
            i = SkipBlanks(text, i);
            if (i == text.Length || text[i] != (byte)'=')
            {
                error = $"line {lineNumber}: expected '=' after label {Excerpt(label)} of {family}";
                return -1;
            }

            i = SkipBlanks(text, i + 1);
            if (i == text.Length || text[i] != (byte)'"')
            {
                error = $"line {lineNumber}: expected a quoted value for label {Excerpt(label)} of {family}";
                return -1;
            }

            var valueLength = ClosingQuote(text[(i + 1)..], out var badEscape);
            if (valueLength < 0)
            {
                error = badEscape >= 0
                    ? $"line {lineNumber}: invalid escape sequence '\\{(char)text[i + 1 + badEscape + 1]}' in the value of label {Excerpt(label)} of {family}"
                    : $"line {lineNumber}: unterminated value of label {Excerpt(label)} of {family}";
                return -1;
            }

            i = SkipBlanks(text, i + 1 + valueLength + 1);
            if (i < text.Length && text[i] == (byte)',')
            {
                i++;
                continue;
            }

            if (i < text.Length && text[i] == (byte)'}')
            {
                return i;
            }

            error = i == text.Length
                ? $"line {lineNumber}: the labels of {family} are not closed with '}}'"
                : $"line {lineNumber}: expected ',' or '}}' after the value of label {Excerpt(label)} of {family}";
            return -1;
        }
    }

    /// <summary>
    /// The length of a label value up to its closing quote; -1 when it is unterminated, or when it has an escape
    /// other than <c>\\</c>, <c>\"</c>, <c>\n</c> (then <paramref name="badEscape"/> is that backslash's index).
    /// </summary>
    private static int ClosingQuote(ReadOnlySpan<byte> value, out int badEscape)
    {
        badEscape = -1;
        var i = 0;
        while (true)
        {
            var next = value[i..].IndexOfAny((byte)'"', (byte)'\\');
            if (next < 0)
            {
                return -1;
            }

            i += next;
            if (value[i] == (byte)'"')
            {
                return i;
            }

            if (i + 1 == value.Length)
            {
                return -1;
            }

            if (value[i + 1] is not ((byte)'\\' or (byte)'"' or (byte)'n'))
            {
                badEscape = i;
                return -1;
            }

            i += 2;
        }
    }

    /// <summary>Looks a label up in labels <see cref="FindLabelsEnd"/> accepted; the value comes back escaped.</summary>
    private static bool TryFindLabel(ReadOnlySpan<byte> labels, ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        var rest = labels;
        while (true)
        {
            rest = rest.TrimStart(" \t,"u8);
            if (rest.IsEmpty)
            {
                value = default;
                return false;
            }

            var equals = rest.IndexOf((byte)'=');
            var label = rest[..equals].TrimEnd(Blanks);
            rest = rest[(equals + 1)..].TrimStart(Blanks)[1..];
            var length = ClosingQuote(rest, out _);
            if (label.SequenceEqual(name))
            {
                value = rest[..length];
                return true;
            }

            rest = rest[(length + 1)..];
        }
    }

    // vLLM prints "None" for geometry it does not know yet; that reads as not reported.
    private static int? WholeNumberLabel(ReadOnlySpan<byte> labels, ReadOnlySpan<byte> name) =>
        TryFindLabel(labels, name, out var text) && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number
            : null;

    /// <summary>Go's ParseFloat, which the format prescribes: decimal or exponent form, NaN and ±Inf in any case.</summary>
    private static bool TryParseValue(ReadOnlySpan<byte> text, out double value)
    {
        var unsigned = text.Length > 0 && text[0] is (byte)'+' or (byte)'-' ? text[1..] : text;
        if (Ascii.EqualsIgnoreCase(unsigned, "inf"u8) || Ascii.EqualsIgnoreCase(unsigned, "infinity"u8))
        {
            value = text[0] == (byte)'-' ? double.NegativeInfinity : double.PositiveInfinity;
            return true;
        }

        if (Ascii.EqualsIgnoreCase(unsigned, "nan"u8))
        {
            value = double.NaN;
            return true;
        }

        return double.TryParse(
            text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out value);
    }

    private static string NotFinite(int lineNumber, MetricSelector selector, double value, string what) =>
        $"line {lineNumber}: the value of {selector} is {(double.IsNaN(value) ? "NaN" : value > 0 ? "+Inf" : "-Inf")}; {what} must be a finite number";

    private static string DecodeLabelValue(ReadOnlySpan<byte> escaped)
    {
        if (escaped.IndexOf((byte)'\\') < 0)
        {
            return Encoding.UTF8.GetString(escaped);
        }

        byte[]? rented = null;
        var buffer = escaped.Length <= StackBufferSize ? stackalloc byte[StackBufferSize] : (rented = ArrayPool<byte>.Shared.Rent(escaped.Length));
        try
        {
            return Encoding.UTF8.GetString(buffer[..Unescape(escaped, buffer)]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>vLLM's comma-joined adapter names; empty entries dropped.</summary>
    private static ImmutableArray<string> SplitAdapters(ReadOnlySpan<byte> escaped)
    {
        if (escaped.IsEmpty)
        {
            return ImmutableArray<string>.Empty;
        }

        byte[]? rented = null;
        var buffer = escaped.Length <= StackBufferSize ? stackalloc byte[StackBufferSize] : (rented = ArrayPool<byte>.Shared.Rent(escaped.Length));
        try
        {
            ReadOnlySpan<byte> text = buffer[..Unescape(escaped, buffer)];
            var count = 0;
            foreach (var part in text.Split((byte)','))
            {
                count += text[part].IsEmpty ? 0 : 1;
            }

            if (count == 0)
            {
                return ImmutableArray<string>.Empty;
            }

            var names = new string[count];
            var next = 0;
            foreach (var part in text.Split((byte)','))
            {
                var name = text[part];
                if (!name.IsEmpty)
                {
                    names[next++] = Encoding.UTF8.GetString(name);
                }
            }

            return ImmutableCollectionsMarshal.AsImmutableArray(names);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static int Unescape(ReadOnlySpan<byte> escaped, Span<byte> destination)
    {
        var written = 0;
        for (var i = 0; i < escaped.Length; i++)
        {
            var b = escaped[i];
            if (b == (byte)'\\' && i + 1 < escaped.Length)
            {
                b = escaped[++i] == (byte)'n' ? (byte)'\n' : escaped[i];
            }

            destination[written++] = b;
        }

        return written;
    }

    private static ReadOnlySpan<byte> Token(ReadOnlySpan<byte> text)
    {
        var end = text.IndexOfAny(Blanks);
        return end < 0 ? text : text[..end];
    }

    private static int SkipBlanks(ReadOnlySpan<byte> text, int i)
    {
        while (i < text.Length && text[i] is (byte)' ' or (byte)'\t')
        {
            i++;
        }

        return i;
    }

    private static bool IsLabelNameByte(byte b, bool first) =>
        b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or (byte)'_' || (!first && b is >= (byte)'0' and <= (byte)'9');

    /// <summary>Page text quoted in an error, cut short so a garbage line cannot make a huge message.</summary>
    private static string Excerpt(ReadOnlySpan<byte> text) =>
        text.Length <= 40 ? Encoding.UTF8.GetString(text) : Encoding.UTF8.GetString(text[..40]) + "…";

    /// <summary>One family to look for, encoded once so lines are compared as bytes.</summary>
    private sealed class Target
    {
        private readonly byte[]? _filterName;
        private readonly byte[]? _filterValue;

        public Target(Role role, MetricSelector selector)
        {
            Role = role;
            Selector = selector;
            Family = Encoding.UTF8.GetBytes(selector.Family);
            if (selector.Filter is { } filter)
            {
                _filterName = Encoding.UTF8.GetBytes(filter.Name);
                // Escaping is canonical (three escapes, each mandatory), so raw bytes compare exactly.
                _filterValue = Encoding.UTF8.GetBytes(MetricSelector.EscapeLabelValue(filter.Value));
            }
        }

        public Role Role { get; }

        public MetricSelector Selector { get; }

        public byte[] Family { get; }

        public bool Accepts(ReadOnlySpan<byte> labels) =>
            _filterName is null || (TryFindLabel(labels, _filterName, out var value) && value.SequenceEqual(_filterValue));
    }

    /// <summary>What one scan has seen so far; spans point into the page, decoded only at the end.</summary>
    private ref struct PageState
    {
        public double Waiting;
        public double Running;
        public double KvCacheUsage;
        public double KvCacheUsageFallback;
        public double LoraUpdated;
        public double FallbackNotFiniteValue;
        public int FallbackNotFiniteLine;
        public bool HasWaiting;
        public bool HasRunning;
        public bool HasKvCacheUsage;
        public bool HasKvCacheUsageFallback;
        public bool HasLora;
        public bool HasModelName;
        public bool HasCacheConfig;
        public int? BlockSize;
        public int? BlockCount;
        public ReadOnlySpan<byte> ModelName;
        public ReadOnlySpan<byte> MaxLora;
        public ReadOnlySpan<byte> RunningAdapters;
        public ReadOnlySpan<byte> WaitingAdapters;
    }
}
