using Suite.Catalog.Resolution;
using Suite.Catalog.Sources;
using Suite.Contracts.Catalog;
using Suite.Kubernetes.Resources;

namespace Suite.Catalog.Api;

/// <summary>
/// The catalog's read API, served by every replica: OpenAI-shaped model listing (all pools, or one) and a resolution
/// view for debugging. Names may contain slashes (<c>meta-llama/Llama-3.1-8B-Instruct</c>), hence the catch-all route.
/// </summary>
internal static class CatalogApi
{
    public static IEndpointRouteBuilder MapCatalogApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/v1/models", (CatalogState state) => ListModels(state, pool: null));
        endpoints.MapGet("/pools/{pool}/v1/models", (string pool, CatalogState state) => ListModels(state, pool));
        endpoints.MapGet("/models/{**name}", (string name, CatalogState state) => Describe(state, name));
        return endpoints;
    }

    private static IResult ListModels(CatalogState state, string? pool)
    {
        if (state.Current is not { } current)
        {
            return NotReady();
        }

        if (pool is not null && !current.Resolution.Pools.ContainsKey(pool))
        {
            return Error(StatusCodes.Status404NotFound, "invalid_request_error", "pool_not_found", $"The pool '{pool}' does not exist.");
        }

        var created = CreationTimes(current.Resources);
        var entries = new List<ModelEntry>();
        foreach (var (poolName, catalog) in current.Resolution.Pools)
        {
            if (pool is not null && poolName != pool)
            {
                continue;
            }

            var names = catalog.Models.Select(m => m.Name).Concat(catalog.Rewrites.Where(r => r.Model is not null).Select(r => r.Model!));
            foreach (var name in names.Distinct(StringComparer.Ordinal))
            {
                var declaredBy = catalog.DeclaredBy.GetValueOrDefault(PoolCatalog.ModelKey(name)) ?? catalog.DeclaredBy.GetValueOrDefault(PoolCatalog.RewriteKey(name));
                entries.Add(new ModelEntry(name, "model", declaredBy is null ? 0 : created.GetValueOrDefault(declaredBy), poolName));
            }
        }

        entries.Sort((a, b) => (string.CompareOrdinal(a.Id, b.Id), string.CompareOrdinal(a.OwnedBy, b.OwnedBy)) switch
        {
            (0, var byPool) => byPool,
            (var byId, _) => byId,
        });
        return Results.Json(new ModelList("list", entries));
    }

    private static IResult Describe(CatalogState state, string name)
    {
        if (state.Current is not { } current)
        {
            return NotReady();
        }

        var pools = new List<PoolResolutionView>();
        foreach (var (poolName, catalog) in current.Resolution.Pools.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (Resolve(poolName, catalog, name) is { } view)
            {
                pools.Add(view);
            }
        }

        var notAccepted = new List<NotAcceptedView>();
        foreach (var key in Claimants(current.Resources, name))
        {
            if (current.Resolution.Conditions.TryGetValue(key, out var condition) && !condition.Accepted)
            {
                notAccepted.Add(new NotAcceptedView(key, condition.Reason, condition.Message));
            }
        }

        if (pools.Count == 0 && notAccepted.Count == 0)
        {
            return Error(StatusCodes.Status404NotFound, "invalid_request_error", "model_not_found", $"The model '{name}' does not exist in any pool's catalog.");
        }

        return Results.Json(new ModelResolutionView(name, pools, notAccepted));
    }

    /// <summary>The picker's order: an InferenceModel, then an exact rewrite, then the catch-all.</summary>
    private static PoolResolutionView? Resolve(string pool, PoolCatalog catalog, string name)
    {
        if (catalog.Models.FirstOrDefault(m => m.Name == name) is { } model)
        {
            var targets = model.Targets.IsEmpty ? [new CatalogTarget(name, 1)] : model.Targets;
            return new(pool, InferenceModel.KubeKind, catalog.DeclaredBy[PoolCatalog.ModelKey(name)], model.Criticality.ToString(), Shares(targets));
        }

        var rewrite = catalog.Rewrites.FirstOrDefault(r => r.Model == name) ?? catalog.Rewrites.FirstOrDefault(r => r.Model is null);
        if (rewrite is null)
        {
            return null;
        }

        var via = rewrite.Model is null ? $"{InferenceModelRewrite.KubeKind} (catch-all)" : InferenceModelRewrite.KubeKind;
        return new(pool, via, catalog.DeclaredBy[PoolCatalog.RewriteKey(rewrite.Model)], nameof(Criticality.Standard), Shares(rewrite.Targets));
    }

    private static TargetView[] Shares(IReadOnlyCollection<CatalogTarget> targets)
    {
        double total = targets.Sum(t => (long)t.Weight);
        return [.. targets.Select(t => new TargetView(t.Name, t.Weight, Math.Round(t.Weight / total, 6)))];
    }

    /// <summary>Every model or rewrite resource that names <paramref name="name"/>, accepted or not.</summary>
    private static IEnumerable<string> Claimants(CatalogResources resources, string name) =>
        resources.Models.Where(m => m.Spec?.ModelName == name).Select(m => ResourceKeys.Of(InferenceModel.KubeKind, m.Metadata))
            .Concat(resources.Rewrites
                .Where(r => r.Spec?.Rules?.Any(rule => rule.Matches?.Any(match => match.Model?.Value == name) == true) == true)
                .Select(r => ResourceKeys.Of(InferenceModelRewrite.KubeKind, r.Metadata)))
            .Order(StringComparer.Ordinal);

    private static Dictionary<string, long> CreationTimes(CatalogResources resources) =>
        resources.Models.Select(m => (ResourceKeys.Of(InferenceModel.KubeKind, m.Metadata), m.Metadata.CreationTimestamp))
            .Concat(resources.Rewrites.Select(r => (ResourceKeys.Of(InferenceModelRewrite.KubeKind, r.Metadata), r.Metadata.CreationTimestamp)))
            .ToDictionary(
                pair => pair.Item1,
                pair => pair.CreationTimestamp is { } at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)).ToUnixTimeSeconds() : 0,
                StringComparer.Ordinal);

    private static IResult NotReady() =>
        Error(StatusCodes.Status503ServiceUnavailable, "service_unavailable", "catalog_not_ready", "The catalog has not loaded its resources yet.");

    private static IResult Error(int status, string type, string code, string message) =>
        Results.Json(new ErrorEnvelope(new ErrorBody(message, type, null, code)), statusCode: status);
}
