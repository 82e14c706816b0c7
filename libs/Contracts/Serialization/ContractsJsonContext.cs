using System.Text.Json.Serialization;
using Suite.Contracts.Catalog;
using Suite.Contracts.Flow;
using Suite.Contracts.OpenAi;
using Suite.Contracts.Pools;
using Suite.Contracts.Routing;

namespace Suite.Contracts.Serialization;

/// <summary>The one source-generated JSON context for every payload the suite puts on a wire or in a store.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(PoolSnapshot))]
[JsonSerializable(typeof(CatalogSnapshot))]
[JsonSerializable(typeof(PoolPressureEvent))]
[JsonSerializable(typeof(OpenAiErrorEnvelope))]
[JsonSerializable(typeof(RoutingDecisionBatch))]
public sealed partial class ContractsJsonContext : JsonSerializerContext;
