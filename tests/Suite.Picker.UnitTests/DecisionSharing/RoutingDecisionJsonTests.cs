using System.Text.Json;
using Suite.Contracts.Routing;
using Suite.Contracts.Serialization;
using static Suite.Picker.UnitTests.Build;

namespace Suite.Picker.UnitTests.DecisionSharing;

public sealed class RoutingDecisionJsonTests
{
    [Fact]
    public void Serialize_Batch_IsTheDocumentedShapeAndRoundTrips()
    {
        var batch = new RoutingDecisionBatch(
            "chat-pool", "picker-a", Start, [new RoutingDecision(A, 64, RoutingDecision.EncodeHashes([ulong.MaxValue, 1]))]);

        var json = JsonSerializer.Serialize(batch, ContractsJsonContext.Default.RoutingDecisionBatch);
        var back = JsonSerializer.Deserialize(json, ContractsJsonContext.Default.RoutingDecisionBatch)!;

        Assert.Equal(
            """{"pool":"chat-pool","replicaId":"picker-a","at":"2025-06-01T12:00:00+00:00","decisions":[{"endpoint":"10.0.0.1:8000","blockBytes":64,"blockHashes":"//////////8BAAAAAAAAAA=="}]}""",
            json);
        Assert.Equal([ulong.MaxValue, 1UL], back.Decisions[0].DecodeHashes());
        Assert.Equal(batch.At, back.At);
    }
}
