using System.Collections.Immutable;
using System.Text.Json;
using Suite.Contracts.Flow;
using Suite.Contracts.Serialization;

namespace Suite.Queue.Tests.Pressure;

public sealed class PoolPressureEventJsonTests
{
    [Fact]
    public void Serialize_SourceGenerated_CamelCaseWithBandsAsKeys()
    {
        var message = new PoolPressureEvent(
            "chat-pool",
            1.25,
            2,
            ImmutableDictionary<string, int>.Empty.Add("llama", 2),
            ImmutableDictionary<int, int>.Empty.Add(-1, 2),
            new DateTimeOffset(2026, 11, 23, 9, 0, 1, TimeSpan.Zero),
            1_795_424_401_000_000);

        var json = JsonSerializer.Serialize(message, ContractsJsonContext.Default.PoolPressureEvent);

        Assert.Equal(
            """{"pool":"chat-pool","saturation":1.25,"queueDepth":2,"depthByModel":{"llama":2},"depthByBand":{"-1":2},"at":"2026-11-23T09:00:01+00:00","version":1795424401000000}""",
            json);
    }

    [Fact]
    public void Deserialize_WhatWasSerialized_SameFigures()
    {
        var message = new PoolPressureEvent(
            "chat-pool",
            0.5,
            3,
            ImmutableDictionary<string, int>.Empty.Add("llama", 2).Add("sql-lora", 1),
            ImmutableDictionary<int, int>.Empty.Add(0, 2).Add(1, 1),
            new DateTimeOffset(2026, 11, 23, 9, 0, 1, TimeSpan.Zero),
            7);

        var read = JsonSerializer.Deserialize(
            JsonSerializer.Serialize(message, ContractsJsonContext.Default.PoolPressureEvent), ContractsJsonContext.Default.PoolPressureEvent)!;

        Assert.Equal(
            (message.Pool, message.Saturation, message.QueueDepth, message.At, message.Version),
            (read.Pool, read.Saturation, read.QueueDepth, read.At, read.Version));
        Assert.Equal(message.DepthByModel.OrderBy(p => p.Key, StringComparer.Ordinal), read.DepthByModel.OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal(message.DepthByBand.OrderBy(p => p.Key), read.DepthByBand.OrderBy(p => p.Key));
    }
}
