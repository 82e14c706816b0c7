namespace Suite.Host.Gateway;

/// <summary>One pool as the gateway is told about it: its picker, failure mode and the models its InferenceModels declare.</summary>
internal sealed record GatewayPool(string Name, Uri Picker, bool FailOpen, IReadOnlyList<string> Models);
