using System.Text.Json;

namespace Suite.Contracts.Serialization;

/// <summary>Serializer options backed by the source-generated context, for APIs that take options rather than type info (the Dapr SDK).</summary>
public static class ContractsJson
{
    public static JsonSerializerOptions Options { get; } = ContractsJsonContext.Default.Options;
}
