namespace Suite.Host.Hosting;

/// <summary>The services of the suite that run once, which <see cref="EmbeddedSuite"/> can stop and start again.</summary>
internal enum SuiteService
{
    Queue,
    Catalog,
    Collector,
}
