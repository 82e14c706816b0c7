namespace Suite.Picker.RequestBody;

/// <summary>A byte range in the request body: <c>[Start, Start + Length)</c>.</summary>
public readonly record struct ByteRange(int Start, int Length)
{
    public bool IsEmpty => Length == 0;

    public int End => Start + Length;
}

/// <summary>
/// What the picker learned from one request body without deserialising it: the model name and where its JSON
/// string sits (for splicing), the stream flag, and where the prompt or messages are.
/// </summary>
/// <param name="Error">Why the body is unusable, in words for the client; null when it is usable.</param>
/// <param name="ModelToken">The <c>model</c> value including its quotes, exactly as sent.</param>
public readonly record struct BodyScan(
    string? Error,
    string? Model,
    ByteRange ModelToken,
    bool Stream,
    ByteRange Prompt,
    ByteRange Messages)
{
    public bool IsValid => Error is null;

    public static BodyScan Invalid(string error) => new(error, null, default, false, default, default);
}
