namespace Suite.LocalGateway.Routing;

/// <summary>Chooses the pool for a request from the <c>model</c> in its body (the gateway's route table).</summary>
public interface IModelRouter
{
    /// <summary>The pool's name; null sends the request to the default pool.</summary>
    string? PoolFor(string? model);
}
