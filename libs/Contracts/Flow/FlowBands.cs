using Suite.Contracts.Catalog;

namespace Suite.Contracts.Flow;

/// <summary>
/// The priority band a request waits in, highest served first. A request that named a known InferenceObjective
/// is in the band of its priority; otherwise its criticality decides: Critical 1, Standard 0, Sheddable -1.
/// Negative bands are sheddable; Critical requests are never shed, whatever their band.
/// </summary>
public static class FlowBands
{
    public const int Critical = 1;
    public const int Standard = 0;
    public const int Sheddable = -1;

    public static int Of(Criticality criticality, int? objectivePriority) => objectivePriority ?? criticality switch
    {
        Criticality.Critical => Critical,
        Criticality.Sheddable => Sheddable,
        _ => Standard,
    };

    /// <summary>Whether the request may be dropped without waiting when its pool is saturated.</summary>
    public static bool IsSheddable(Criticality criticality, int band) => criticality != Criticality.Critical && band < 0;
}
