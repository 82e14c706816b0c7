using Microsoft.Extensions.Options;

namespace Suite.MetricsCollector.Scraping;

internal static class EngineMetricsServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="EngineMetricsOptions"/> from <c>Collector:Engines</c>, checks it at start-up and registers the
    /// <see cref="EngineMetricsCatalog"/> built from it. A misspelt key stops start-up as well, with its path in the message.
    /// </summary>
    public static IServiceCollection AddEngineMetricNames(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(EngineMetricsOptions.SectionName);
        services.AddOptions<EngineMetricsOptions>()
            .Configure(options => options.Bind(section))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<EngineMetricsOptions>, EngineMetricsOptionsValidator>();
        services.AddSingleton(provider => EngineMetricsCatalog.Create(provider.GetRequiredService<IOptions<EngineMetricsOptions>>().Value));
        return services;
    }
}
