using Google.Protobuf.WellKnownTypes;
using Suite.Contracts.Flow;
using Suite.Contracts.Queue;
using Suite.Picker.Catalog;
using CatalogCriticality = Suite.Contracts.Catalog.Criticality;

namespace Suite.Picker.Admission;

/// <summary>What admission needs to know about one request.</summary>
/// <param name="SizeBytes">The request body's size, which the queue counts against its byte limits.</param>
internal readonly record struct AdmissionRequest(string RequestId, RequestClassification Classification, long SizeBytes)
{
    public bool IsCritical => Classification.Criticality == CatalogCriticality.Critical;

    /// <summary>
    /// Whether the request may be dropped while the pool is saturated: its band comes from its objective's priority
    /// when the catalog knows the objective, else from its criticality.
    /// </summary>
    public bool IsSheddable
    {
        get
        {
            var band = FlowBands.Of(Classification.Criticality, Classification.ObjectiveKnown ? Classification.Priority : null);
            return FlowBands.IsSheddable(Classification.Criticality, band);
        }
    }

    public AdmitRequest ToAdmitRequest(string pool, DateTimeOffset deadline)
    {
        var request = new AdmitRequest
        {
            Pool = pool,
            RequestId = RequestId,
            Criticality = Classification.Criticality switch
            {
                CatalogCriticality.Critical => Criticality.Critical,
                CatalogCriticality.Sheddable => Criticality.Sheddable,
                _ => Criticality.Standard,
            },
            FairnessId = Classification.FairnessId,
            TargetModel = Classification.TargetModel ?? "",
            SizeBytes = SizeBytes,
            Deadline = Timestamp.FromDateTimeOffset(deadline),
        };
        if (Classification.ObjectiveKnown)
        {
            request.Priority = Classification.Priority;
        }

        return request;
    }
}
