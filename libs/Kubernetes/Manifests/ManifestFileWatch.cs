namespace Suite.Kubernetes.Manifests;

/// <summary>
/// Checks a manifests file on a timer and calls back when its size or write time changed. The stamp is taken
/// before the callback reads the file, so a write racing the read changes it again and is seen on the next tick;
/// a slow callback never overlaps the next tick. The callback must not throw: a timer callback that throws ends
/// the process.
/// </summary>
public sealed class ManifestFileWatch : IDisposable
{
    private readonly string _path;
    private readonly Action _changed;
    private readonly ITimer _timer;
    private FileStamp _stamp;
    private int _polling;

    /// <summary>Takes the file's current stamp as the baseline: the caller has just read it.</summary>
    public ManifestFileWatch(string path, TimeSpan interval, TimeProvider time, Action changed)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(changed);
        _path = path;
        _changed = changed;
        _stamp = FileStamp.Of(path);
        _timer = time.CreateTimer(_ => Poll(), null, interval, interval);
    }

    public void Dispose() => _timer.Dispose();

    private void Poll()
    {
        if (Interlocked.Exchange(ref _polling, 1) == 1)
        {
            return;
        }

        try
        {
            var stamp = FileStamp.Of(_path);
            if (stamp == _stamp)
            {
                return;
            }

            _stamp = stamp;
            _changed();
        }
        finally
        {
            Volatile.Write(ref _polling, 0);
        }
    }

    private readonly record struct FileStamp(bool Exists, DateTime LastWriteUtc, long Length)
    {
        public static FileStamp Of(string path)
        {
            var file = new FileInfo(path);
            return file.Exists ? new FileStamp(true, file.LastWriteTimeUtc, file.Length) : default;
        }
    }
}
