using Microsoft.Extensions.Options;
using Suite.LocalGateway.Hosting;

namespace Suite.LocalGateway.Routing;

/// <summary>The route table from the settings: each pool's <see cref="GatewayPoolOptions.Models"/>.</summary>
internal sealed class OptionsModelRouter(IOptions<GatewayOptions> options) : IModelRouter
{
    private readonly Dictionary<string, string> _poolByModel = options.Value.Pools
        .SelectMany(pool => pool.Models.Select(model => (model, pool.Name)))
        .GroupBy(route => route.model, StringComparer.Ordinal)
        .ToDictionary(group => group.Key, group => group.First().Name, StringComparer.Ordinal);

    public string? PoolFor(string? model) => model is not null && _poolByModel.TryGetValue(model, out var pool) ? pool : null;
}
