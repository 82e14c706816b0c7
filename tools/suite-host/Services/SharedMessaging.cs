using Microsoft.Extensions.DependencyInjection;
using Suite.Messaging.InMemory;
using Suite.Messaging;

namespace Suite.Host.Services;

/// <summary>
/// What every app of the suite shares: the in-memory bus and state store, an empty content root, and the extra
/// configuration keys (<see cref="CommandLine.SuiteHostOptions.ServiceSettings"/>) laid over each service's own.
/// </summary>
internal sealed record SharedMessaging(string ContentRoot, InMemoryBus Bus, InMemoryStateStore Store)
{
    public IReadOnlyDictionary<string, string?> ServiceSettings { get; init; } = new Dictionary<string, string?>();

    /// <summary>
    /// Registers the shared instances; called before a service's own <c>AddSuiteMessaging</c>, whose TryAdd then
    /// keeps them instead of creating the service's own.
    /// </summary>
    public void AddTo(IServiceCollection services)
    {
        services.AddSingleton(Bus);
        services.AddSingleton<IEventPublisher>(Bus);
        services.AddSingleton(Store);
        services.AddSingleton<IStateStore>(Store);
    }
}
