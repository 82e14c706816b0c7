namespace Suite.Bench;

/// <summary>One model-server endpoint of a synthetic fleet, in the terms of the picker's pool file.</summary>
public sealed record SyntheticEndpoint(
    string Address,
    string Pod,
    string Model,
    int Waiting,
    int Running,
    double KvCacheUsage,
    int MaxLora,
    string[] ActiveAdapters,
    string[] WaitingAdapters);

/// <summary>
/// A deterministic fleet with varied, plausibly correlated load: each pod gets a busyness from which its queue,
/// running batch and KV-cache use follow, plus noise; most pods serve LoRA adapters from a shared set. Addresses
/// are 10.x.y.z:8000 and are never contacted.
/// </summary>
public static class SyntheticFleet
{
    public static readonly string[] Adapters =
    [
        "sql-lora", "chat-lora", "summarize-lora", "translate-lora", "code-lora", "legal-lora", "med-lora", "tweet-lora",
    ];

    /// <summary>The models requests ask for, in rotation: the base model and three adapters.</summary>
    public static readonly string[] RequestedModels =
    [
        ChatRequestBodies.BaseModel, "sql-lora", "code-lora", "legal-lora",
    ];

    public static SyntheticEndpoint[] Create(int count, int seed = 42)
    {
        var random = new Random(seed);
        var endpoints = new SyntheticEndpoint[count];
        for (var i = 0; i < count; i++)
        {
            var n = i + 1;
            var address = $"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}:8000";
            var busy = random.NextDouble();
            var waiting = busy > 0.7 ? random.Next(1, 1 + (int)(busy * 25)) : random.Next(0, 2);
            var running = 2 + (int)(busy * 60) + random.Next(0, 6);
            var kv = Math.Round(Math.Clamp(0.05 + busy * 0.85 + (random.NextDouble() - 0.5) * 0.1, 0, 1), 3);
            var maxLora = random.Next(10) == 0 ? 0 : 4;
            var active = maxLora == 0 ? [] : Pick(random, random.Next(0, 4));
            var waitingAdapters = maxLora > 0 && active.Length == 3 && random.Next(4) == 0 ? Pick(random, 1) : [];
            endpoints[i] = new SyntheticEndpoint(
                address, $"vllm-llama-3-8b-{i}", ChatRequestBodies.BaseModel, waiting, running, kv, maxLora, active, waitingAdapters);
        }

        return endpoints;
    }

    private static string[] Pick(Random random, int count)
    {
        var chosen = new List<string>(count);
        while (chosen.Count < count)
        {
            var adapter = Adapters[random.Next(Adapters.Length)];
            if (!chosen.Contains(adapter))
            {
                chosen.Add(adapter);
            }
        }

        return [.. chosen];
    }
}
