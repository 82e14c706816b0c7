namespace Suite.ModelSim.OpenAi;

/// <summary>The text of generated tokens: one short word per token, the same for the same request and position.</summary>
internal static class OutputText
{
    private static readonly string[] Words =
    [
        " the", " model", " serves", " tokens", " from", " a", " simulated", " batch", " on", " one",
        " GPU", " while", " the", " cache", " keeps", " prefix", " blocks", " warm", " and", " routing",
        " picks", " the", " least", " loaded", " pod", " for", " each", " request", ".", " It",
    ];

    public static string Token(long requestId, int index) => Words[(int)((requestId * 7 + index) % Words.Length)];
}
