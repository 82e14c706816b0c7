using Microsoft.Extensions.Options;
using Suite.Contracts.Flow;
using Suite.Queue.Hosting;

namespace Suite.Queue.Admission;

/// <summary>Which pools this replica serves: those <see cref="QueueShards"/> assigns to its shard index.</summary>
internal sealed class ShardOwnership(IOptions<QueueOptions> options)
{
    public int Count { get; } = options.Value.ShardCount;

    public int Index { get; } = options.Value.ResolveShardIndex(Environment.GetEnvironmentVariable("HOSTNAME"));

    public int OwnerOf(string pool) => QueueShards.OwnerOf(pool, Count);

    public bool Owns(string pool) => OwnerOf(pool) == Index;
}
