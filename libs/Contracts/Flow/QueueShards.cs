namespace Suite.Contracts.Flow;

/// <summary>
/// Which queue replica owns a pool when pools are sharded over <c>count</c> replicas: rendezvous (highest random
/// weight) hashing of the pool name against each shard index. Every picker and every queue replica computes the same
/// answer from the pool name and the shard count alone, and changing the count moves only the pools whose winning
/// shard appears or disappears (about 1/count of them), not all of them.
/// </summary>
public static class QueueShards
{
    public static int OwnerOf(string pool, int count)
    {
        ArgumentException.ThrowIfNullOrEmpty(pool);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var best = 0;
        var bestWeight = 0UL;
        for (var shard = 0; shard < count; shard++)
        {
            var weight = Weight(pool, shard);
            if (shard == 0 || weight > bestWeight)
            {
                (best, bestWeight) = (shard, weight);
            }
        }

        return best;
    }

    /// <summary>FNV-1a over the name's UTF-16 code units and the shard index, then a 64-bit finalizer to spread the bits.</summary>
    private static ulong Weight(string pool, int shard)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in pool)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        hash = (hash ^ (ulong)shard) * 1099511628211UL;
        hash ^= hash >> 33;
        hash *= 0xff51afd7ed558ccdUL;
        hash ^= hash >> 33;
        hash *= 0xc4ceb9fe1a85ec53UL;
        hash ^= hash >> 33;
        return hash;
    }
}
