using Microsoft.Extensions.Options;
using Suite.Catalog.Hosting;
using Suite.Kubernetes.Manifests;

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
    private readonly ManifestFileWatch _watch;
    private volatile CatalogResources _current;

    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="InvalidDataException">The file is not valid manifests.</exception>
    public StaticCatalogSource(IOptions<CatalogOptions> options, TimeProvider time, ILogger<StaticCatalogSource> logger)
    {
        _path = options.Value.ManifestsFile!;
        _logger = logger;
        _current = Load();
        _watch = new ManifestFileWatch(_path, options.Value.PollInterval, time, Reload);
    }

    public CatalogResources Current => _current;

    public event Action? Changed;

    public Task ReadyAsync(CancellationToken cancellationToken) =>
        cancellationToken.IsCancellationRequested ? Task.FromCanceled(cancellationToken) : Task.CompletedTask;

    public void Dispose() => _watch.Dispose();

    private void Reload()
    {
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
}
