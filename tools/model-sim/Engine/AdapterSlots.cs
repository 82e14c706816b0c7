namespace Suite.ModelSim.Engine;

/// <summary>
/// LoRA adapters: the ones registered (served by name), the ones resident on the GPU (at most <c>MaxLoras</c>,
/// least recently used evicted) and how many running sequences use each. A batch may mix at most
/// <c>MaxLoras</c> distinct adapters, so a request for another one waits until a running adapter drains.
/// </summary>
internal sealed class AdapterSlots
{
    private readonly int _maxLoras;
    private readonly Dictionary<string, string> _registered = new(StringComparer.Ordinal);
    private readonly List<string> _resident = [];
    private readonly Dictionary<string, int> _running = new(StringComparer.Ordinal);

    public AdapterSlots(int maxLoras) => _maxLoras = maxLoras;

    public int MaxLoras => _maxLoras;

    public IReadOnlyDictionary<string, string> Registered => _registered;

    public IReadOnlyCollection<string> Running => _running.Keys;

    public bool IsRegistered(string name) => _registered.ContainsKey(name);

    public bool Register(string name, string path) => _registered.TryAdd(name, path);

    public bool Unregister(string name)
    {
        _resident.Remove(name);
        return _registered.Remove(name);
    }

    public bool CanRun(string adapter) => _running.ContainsKey(adapter) || _running.Count < _maxLoras;

    /// <summary>Counts one more running sequence on the adapter; true when the adapter had to be loaded first.</summary>
    public bool Start(string adapter)
    {
        _running[adapter] = _running.GetValueOrDefault(adapter) + 1;
        if (_resident.Remove(adapter))
        {
            _resident.Add(adapter);
            return false;
        }

        if (_resident.Count >= _maxLoras)
        {
            // At most MaxLoras adapters run, and this one was not resident, so an idle one is there to evict.
            _resident.Remove(_resident.First(name => !_running.ContainsKey(name)));
        }

        _resident.Add(adapter);
        return true;
    }

    public void Stop(string adapter)
    {
        if (--_running[adapter] == 0)
        {
            _running.Remove(adapter);
        }
    }
}
