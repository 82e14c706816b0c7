namespace Suite.Picker.Usage;

/// <summary>Token counts a model server reports in a response's <c>usage</c> object.</summary>
public readonly record struct TokenUsage(long PromptTokens, long CompletionTokens, long TotalTokens, long CachedTokens);
