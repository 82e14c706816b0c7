namespace Suite.Contracts.OpenAi;

/// <summary>The error body OpenAI-compatible servers return: <c>{"error":{"message","type","code"}}</c>.</summary>
public sealed record OpenAiErrorEnvelope(OpenAiError Error);

/// <param name="Code">The HTTP status, as vLLM reports it.</param>
public sealed record OpenAiError(string Message, string Type, int Code);
