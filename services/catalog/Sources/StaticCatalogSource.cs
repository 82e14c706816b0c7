using Microsoft.Extensions.Options;
using Suite.Catalog.Hosting;

namespace Suite.Catalog.Sources;

/// <summary>
/// The resources from a manifests file, for running without a cluster. The file is read in the constructor (a bad
/// file stops start-up with a message naming it and the line) and again whenever its size or write time changes;
/// a bad edit is logged and the previous view stands.
/// </summary>
internal sealed partial class StaticCatalogSource : ICatalogSource, IDisposable
{
    private readonly string _path;
    private readonly ILogger _logger;
    private readonly ITimer _timer;
    private volatile CatalogResources _current;
    private FileStamp _stamp;
    private int _polling;

    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="InvalidDataException">The file is not valid manifests.</exception>
    public StaticCatalogSource(IOptions<CatalogOptions> options, TimeProvider time, ILogger<StaticCatalogSource> logger)
    {
        _path = options.Value.ManifestsFile!;
        _logger = logger;
        _stamp = FileStamp.Of(_path);
        _current = Load();
        _timer = time.CreateTimer(_ => Poll(), null, options.Value.PollInterval, options.Value.PollInterval);
    }

    public CatalogResources Current => _current;

    public event Action? Changed;

    public Task ReadyAsync(CancellationToken cancellationToken) =>
        cancellationToken.IsCancellationRequested ? Task.FromCanceled(cancellationToken) : Task.CompletedTask;

    public void Dispose() => _timer.Dispose();

    private void Poll()
    {
        if (Interlocked.Exchange(ref _polling, 1) == 1)
        {
            return; // a slow read must not overlap the next tick
        }

        try
        {
            var stamp = FileStamp.Of(_path);
            if (stamp == _stamp)
            {
                return;
            }

            // Recorded before reading: a write racing the read changes the stamp again and is read next tick.
            _stamp = stamp;
            try
            {
                _current = Load();
            }
            catch (Exception e)
            {
                // A timer callback that threw would end the process; the previous view stands.
                LogReloadFailed(_path, e.Message);
                return;
            }

            Changed?.Invoke();
        }
        finally
        {
            Volatile.Write(ref _polling, 0);
        }
    }

    private CatalogResources Load()
    {
        string yaml;
        try
        {
            yaml = File.ReadAllText(_path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"{_path} cannot be read: {e.Message}", e);
        }

        var resources = CatalogResources.FromManifests(yaml, _path);
        LogLoaded(_path, resources.Pools.Length, resources.Models.Length, resources.Objectives.Length, resources.Rewrites.Length);
        return resources;
    }

    [LoggerMessage(1, LogLevel.Information, "Read {Path}: {Pools} pools, {Models} InferenceModels, {Objectives} InferenceObjectives, {Rewrites} InferenceModelRewrites")]
    private partial void LogLoaded(string path, int pools, int models, int objectives, int rewrites);

    [LoggerMessage(2, LogLevel.Error, "Re-reading {Path} failed; the previous catalog stays in force: {Problem}")]
    private partial void LogReloadFailed(string path, string problem);

    private readonly record struct FileStamp(bool Exists, DateTime LastWriteUtc, long Length)
    {
        public static FileStamp Of(string path)
        {
            var file = new FileInfo(path);
            return file.Exists ? new FileStamp(true, file.LastWriteTimeUtc, file.Length) : default;
        }
    }
}
