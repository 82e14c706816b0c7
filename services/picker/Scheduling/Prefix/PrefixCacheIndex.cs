using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Suite.Contracts.Pools;

namespace Suite.Picker.Scheduling.Prefix;

/// <summary>
/// Which endpoints probably hold which prompt blocks in their KV cache, learned from the picker's own decisions
/// (and its peers'). Two views of the same entries: a block hash → up to <see cref="HoldersPerBlock"/> endpoints
/// map, split into lock stripes, answers a decision with one lookup per block whatever the pool size; a per-endpoint
/// LRU bounds what each endpoint is believed to hold to its cache's capacity. Memory is bounded by the sum of the
/// endpoints' capacities. Entries older than the scorer's max age no longer count; LRU eviction reclaims them.
/// </summary>
public sealed class PrefixCacheIndex(TimeProvider time)
{
    /// <summary>Endpoints remembered per block; a further endpoint replaces the one that received it longest ago.</summary>
    public const int HoldersPerBlock = 4;

    /// <summary>No endpoint is believed to hold more blocks than this, whatever its cache config says.</summary>
    public const int MaxCapacityBlocks = 1 << 22;

    private const int StripeCount = 64;
    private const int StackCandidates = 256;

    private readonly Stripe[] _stripes = CreateStripes();
    private readonly ConcurrentDictionary<string, EndpointBlocks> _endpoints = new(StringComparer.Ordinal);
    private int _lastId;
    private PoolSnapshot? _retained;

    /// <summary>The endpoint's id in this index, or −1 when nothing was ever recorded for it.</summary>
    public int IdOf(string address) => _endpoints.TryGetValue(address, out var blocks) ? blocks.Id : -1;

    /// <summary>How many blocks the endpoint is believed to hold (aged or not).</summary>
    public int BlockCount(string address)
    {
        if (!_endpoints.TryGetValue(address, out var blocks))
        {
            return 0;
        }

        lock (blocks.Gate)
        {
            return blocks.Count;
        }
    }

    /// <summary>Notes that <paramref name="address"/> holds <paramref name="hashes"/>, the most recent last to go.</summary>
    /// <param name="decidedAt">When the placement was decided (a peer's batch); null or later than now means now. A
    /// placement already held keeps its later time, so a redelivered old decision cannot make it look recent.</param>
    public void Record(string address, ReadOnlySpan<ulong> hashes, int capacityBlocks, DateTimeOffset? decidedAt = null)
    {
        if (hashes.IsEmpty)
        {
            return;
        }

        var capacity = Math.Clamp(capacityBlocks, 1, MaxCapacityBlocks);
        var at = time.GetUtcNow().UtcTicks;
        if (decidedAt is { } decided && decided.UtcTicks < at)
        {
            at = decided.UtcTicks;
        }

        var blocks = _endpoints.GetOrAdd(address, static (_, index) => new EndpointBlocks(Interlocked.Increment(ref index._lastId)), this);
        lock (blocks.Gate)
        {
            if (blocks.Removed)
            {
                return;
            }

            foreach (var hash in hashes)
            {
                if (!blocks.Touch(hash))
                {
                    while (blocks.Count >= capacity)
                    {
                        Unlink(blocks.EvictOldest(), blocks.Id);
                    }

                    blocks.Insert(hash);
                }

                var stripe = StripeOf(hash);
                lock (stripe.Gate)
                {
                    ref var holders = ref CollectionsMarshal.GetValueRefOrAddDefault(stripe.Blocks, hash, out _);
                    holders.Add(blocks.Id, at);
                }
            }
        }
    }

    /// <summary>
    /// For each endpoint id (−1 for unknown), how many leading blocks of <paramref name="hashes"/> it holds, counting
    /// only entries recorded within <paramref name="maxAge"/> and stopping at its first miss.
    /// </summary>
    public void Match(ReadOnlySpan<ulong> hashes, ReadOnlySpan<int> ids, Span<int> matched, TimeSpan maxAge)
    {
        matched[..ids.Length].Clear();
        var oldest = time.GetUtcNow().UtcTicks - maxAge.Ticks;

        // Candidates still matching every block so far, compacted as they drop out: a long prompt costs one pass
        // over the few endpoints that hold it, not over the whole pool.
        int[]? rented = null;
        var alive = ids.Length <= StackCandidates ? stackalloc int[StackCandidates] : (rented = ArrayPool<int>.Shared.Rent(ids.Length));
        var count = 0;
        for (var c = 0; c < ids.Length; c++)
        {
            if (ids[c] >= 0)
            {
                alive[count++] = c;
            }
        }

        for (var i = 0; i < hashes.Length && count > 0; i++)
        {
            var stripe = StripeOf(hashes[i]);
            lock (stripe.Gate)
            {
                if (!stripe.Blocks.TryGetValue(hashes[i], out var holders))
                {
                    break;
                }

                var kept = 0;
                for (var n = 0; n < count; n++)
                {
                    var c = alive[n];
                    if (holders.Holds(ids[c], oldest))
                    {
                        matched[c] = i + 1;
                        alive[kept++] = c;
                    }
                }

                count = kept;
            }
        }

        if (rented is not null)
        {
            ArrayPool<int>.Shared.Return(rented);
        }
    }

    /// <summary>Forgets endpoints that are no longer in the pool; cheap when the snapshot has not changed.</summary>
    public void Retain(PoolSnapshot snapshot)
    {
        if (ReferenceEquals(Volatile.Read(ref _retained), snapshot))
        {
            return;
        }

        Volatile.Write(ref _retained, snapshot);
        foreach (var (address, blocks) in _endpoints)
        {
            if (!Contains(snapshot, address) && _endpoints.TryRemove(address, out _))
            {
                Drop(blocks);
            }
        }
    }

    private static bool Contains(PoolSnapshot snapshot, string address)
    {
        foreach (var endpoint in snapshot.Endpoints)
        {
            if (string.Equals(endpoint.Address, address, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private void Drop(EndpointBlocks blocks)
    {
        lock (blocks.Gate)
        {
            blocks.Removed = true;
            while (blocks.Count > 0)
            {
                Unlink(blocks.EvictOldest(), blocks.Id);
            }
        }
    }

    private void Unlink(ulong hash, int id)
    {
        var stripe = StripeOf(hash);
        lock (stripe.Gate)
        {
            ref var holders = ref CollectionsMarshal.GetValueRefOrNullRef(stripe.Blocks, hash);
            if (!Unsafe.IsNullRef(ref holders) && holders.Remove(id))
            {
                stripe.Blocks.Remove(hash);
            }
        }
    }

    private Stripe StripeOf(ulong hash) => _stripes[(int)(hash & (StripeCount - 1))];

    private static Stripe[] CreateStripes()
    {
        var stripes = new Stripe[StripeCount];
        for (var i = 0; i < stripes.Length; i++)
        {
            stripes[i] = new Stripe();
        }

        return stripes;
    }

    private sealed class Stripe
    {
        public readonly Lock Gate = new();
        public readonly Dictionary<ulong, Holders> Blocks = [];
    }

    [InlineArray(HoldersPerBlock)]
    private struct HolderIds
    {
        private int _element;
    }

    [InlineArray(HoldersPerBlock)]
    private struct HolderTimes
    {
        private long _element;
    }

    /// <summary>Endpoint ids (stored + 1, so 0 is an empty slot) and when each received the block.</summary>
    private struct Holders
    {
        private HolderIds _ids;
        private HolderTimes _seen;

        public readonly bool Holds(int id, long oldestTicks)
        {
            for (var i = 0; i < HoldersPerBlock; i++)
            {
                if (_ids[i] == id + 1)
                {
                    return _seen[i] >= oldestTicks;
                }
            }

            return false;
        }

        public void Add(int id, long nowTicks)
        {
            var slot = -1;
            for (var i = 0; i < HoldersPerBlock; i++)
            {
                if (_ids[i] == id + 1)
                {
                    _seen[i] = Math.Max(_seen[i], nowTicks);
                    return;
                }

                if (slot < 0 || (_ids[slot] != 0 && (_ids[i] == 0 || _seen[i] < _seen[slot])))
                {
                    slot = i;
                }
            }

            _ids[slot] = id + 1;
            _seen[slot] = nowTicks;
        }

        /// <summary>Removes the id; returns whether no holder is left.</summary>
        public bool Remove(int id)
        {
            var left = false;
            for (var i = 0; i < HoldersPerBlock; i++)
            {
                if (_ids[i] == id + 1)
                {
                    _ids[i] = 0;
                    _seen[i] = 0;
                }

                left |= _ids[i] != 0;
            }

            return !left;
        }
    }

    /// <summary>One endpoint's blocks in recency order: a hash → node map over a doubly linked list kept in arrays.</summary>
    private sealed class EndpointBlocks(int id)
    {
        private const int InitialNodes = 64;

        private readonly Dictionary<ulong, int> _nodeOf = [];
        private Node[] _nodes = new Node[InitialNodes];
        private int _newest = -1;
        private int _oldest = -1;
        private int _free = -1;
        private int _used;

        public int Id { get; } = id;

        public Lock Gate { get; } = new();

        public bool Removed { get; set; }

        public int Count => _nodeOf.Count;

        /// <summary>Moves a held hash to the newest end; false when the hash is not held.</summary>
        public bool Touch(ulong hash)
        {
            if (!_nodeOf.TryGetValue(hash, out var node))
            {
                return false;
            }

            if (node != _newest)
            {
                Detach(node);
                AttachNewest(node);
            }

            return true;
        }

        /// <summary>Adds a hash that is not held, as the newest.</summary>
        public void Insert(ulong hash)
        {
            var node = NewNode(hash);
            _nodeOf.Add(hash, node);
            AttachNewest(node);
        }

        public ulong EvictOldest()
        {
            var node = _oldest;
            var hash = _nodes[node].Hash;
            Detach(node);
            _nodeOf.Remove(hash);
            _nodes[node].Next = _free;
            _free = node;
            return hash;
        }

        private int NewNode(ulong hash)
        {
            int node;
            if (_free >= 0)
            {
                node = _free;
                _free = _nodes[node].Next;
            }
            else
            {
                if (_used == _nodes.Length)
                {
                    Array.Resize(ref _nodes, _nodes.Length * 2);
                }

                node = _used++;
            }

            _nodes[node] = new Node { Hash = hash, Previous = -1, Next = -1 };
            return node;
        }

        private void Detach(int node)
        {
            var (previous, next) = (_nodes[node].Previous, _nodes[node].Next);
            if (previous >= 0)
            {
                _nodes[previous].Next = next;
            }
            else
            {
                _newest = next;
            }

            if (next >= 0)
            {
                _nodes[next].Previous = previous;
            }
            else
            {
                _oldest = previous;
            }
        }

        private void AttachNewest(int node)
        {
            _nodes[node].Previous = -1;
            _nodes[node].Next = _newest;
            if (_newest >= 0)
            {
                _nodes[_newest].Previous = node;
            }

            _newest = node;
            if (_oldest < 0)
            {
                _oldest = node;
            }
        }

        private struct Node
        {
            public ulong Hash;
            public int Previous;
            public int Next;
        }
    }
}
