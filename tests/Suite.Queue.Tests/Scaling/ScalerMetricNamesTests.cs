using Suite.Queue.Scaling;

namespace Suite.Queue.Tests.Scaling;

public sealed class ScalerMetricNamesTests
{
    [Theory]
    [InlineData("chat-pool", null, "QueueDepth", "queue-depth-chat-pool")]
    [InlineData("chat-pool", null, "Saturation", "saturation-chat-pool")]
    [InlineData("chat-pool", "sql-lora-v1", "QueueDepth", "queue-depth-chat-pool-sql-lora-v1")]
    [InlineData("Chat.Pool", null, "QueueDepth", "queue-depth-chat-pool-fa3034af")]
    [InlineData("chat-pool", "Qwen/Qwen2.5-7B-Instruct", "QueueDepth", "queue-depth-chat-pool-qwen-qwen2-5-7b-instruct-8a0c88d9")] // as in deploy/examples/keda-scaledobject.yaml
    [InlineData("chat-pool", "a.b", "QueueDepth", "queue-depth-chat-pool-a-b-54d253bf")]
    [InlineData("chat-pool", "a_b", "QueueDepth", "queue-depth-chat-pool-a-b-51b9ecf2")]
    [InlineData("chat-pool", "/", "QueueDepth", "queue-depth-chat-pool-a075d59d")] // nothing of the model kept: the hash tells it apart
    public void For_Query_LowerCaseLettersDigitsAndDashesWithAHashWhenChanged(string pool, string? model, string metric, string expected)
    {
        var name = ScalerMetricNames.For(new ScalerQuery(pool, model, Enum.Parse<ScalingMetric>(metric), 5, 0.8, 0, 1));

        Assert.Equal(expected, name);
        Assert.Matches("^[a-z0-9]+(-[a-z0-9]+)*$", name);
    }
}
