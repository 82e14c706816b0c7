namespace Suite.Catalog.Resolution;

/// <summary>The <c>Accepted</c> condition the catalog reports on a resource's status.</summary>
/// <param name="Reason">
/// <c>Accepted</c>; <c>Invalid</c> (the spec breaks a rule); <c>PoolNotFound</c> (its <c>poolRef</c> names no known
/// pool); <c>ModelNameInUse</c> (an older InferenceModel of the pool already has the name).
/// </param>
internal sealed record AcceptedCondition(bool Accepted, string Reason, string Message)
{
    public static AcceptedCondition Yes { get; } = new(true, "Accepted", "The resource is part of its pool's catalog.");
}
