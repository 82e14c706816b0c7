namespace Suite.ModelSim.Engine;

/// <summary>
/// The KV cache: <c>NumGpuBlocks</c> blocks with reference counts, a map from prefix hash to the block holding
/// it, and a queue of free blocks. A freed block keeps its hash and stays findable until it is reused; allocation
/// takes the block at the head of the free queue (least recently freed) and forgets its hash, so cached prefixes
/// are evicted least-recently-used first. Usage, as vLLM reports it, is the share of blocks not in the free queue.
/// </summary>
internal sealed class KvBlockPool
{
    private const int None = -1;

    private readonly int[] _refCount;
    private readonly ulong[] _hash;
    private readonly int[] _previous;
    private readonly int[] _next;
    private readonly Dictionary<ulong, int> _byHash = [];
    private int _head = None;
    private int _tail = None;

    public KvBlockPool(int blocks)
    {
        _refCount = new int[blocks];
        _hash = new ulong[blocks];
        _previous = new int[blocks];
        _next = new int[blocks];
        for (var block = 0; block < blocks; block++)
        {
            Append(block);
        }

        FreeCount = blocks;
    }

    public int Total => _refCount.Length;

    public int FreeCount { get; private set; }

    public int UsedCount => Total - FreeCount;

    public double Usage => (double)UsedCount / Total;

    public int CachedBlockCount => _byHash.Count;

    /// <summary>How many leading blocks of a prompt are resident, at most <paramref name="limit"/>.</summary>
    public int CountResidentPrefix(ReadOnlySpan<ulong> hashes, int limit)
    {
        var count = 0;
        while (count < hashes.Length && count < limit && _byHash.ContainsKey(hashes[count]))
        {
            count++;
        }

        return count;
    }

    /// <summary>Whether the resident block holding <paramref name="hash"/> sits in the free queue (no sequence uses it).</summary>
    public bool IsFree(ulong hash) => _refCount[_byHash[hash]] == 0;

    /// <summary>Takes a reference to the resident block holding <paramref name="hash"/>.</summary>
    public int AcquireResident(ulong hash)
    {
        var block = _byHash[hash];
        if (_refCount[block]++ == 0)
        {
            Unlink(block);
            FreeCount--;
        }

        return block;
    }

    /// <summary>Takes <paramref name="count"/> free blocks into <paramref name="into"/>, or none if there are fewer.</summary>
    public bool TryAllocate(int count, List<int> into)
    {
        if (count > FreeCount)
        {
            return false;
        }

        for (var i = 0; i < count; i++)
        {
            var block = _head;
            Unlink(block);
            FreeCount--;
            if (_hash[block] != 0)
            {
                _byHash.Remove(_hash[block]);
                _hash[block] = 0;
            }

            _refCount[block] = 1;
            into.Add(block);
        }

        return true;
    }

    /// <summary>Makes a computed block findable by its prefix hash, unless another block already holds that prefix.</summary>
    public void Publish(int block, ulong hash)
    {
        if (_hash[block] == 0 && _byHash.TryAdd(hash, block))
        {
            _hash[block] = hash;
        }
    }

    /// <summary>
    /// Drops one reference to each block. The sequence's last blocks go into the free queue first, so they are
    /// evicted before its first blocks, which other prompts are likelier to share.
    /// </summary>
    public void Release(List<int> blocks)
    {
        for (var i = blocks.Count - 1; i >= 0; i--)
        {
            var block = blocks[i];
            if (--_refCount[block] == 0)
            {
                Append(block);
                FreeCount++;
            }
        }

        blocks.Clear();
    }

    private void Append(int block)
    {
        _previous[block] = _tail;
        _next[block] = None;
        if (_tail == None)
        {
            _head = block;
        }
        else
        {
            _next[_tail] = block;
        }

        _tail = block;
    }

    private void Unlink(int block)
    {
        var previous = _previous[block];
        var next = _next[block];
        if (previous == None)
        {
            _head = next;
        }
        else
        {
            _next[previous] = next;
        }

        if (next == None)
        {
            _tail = previous;
        }
        else
        {
            _previous[next] = previous;
        }
    }
}
