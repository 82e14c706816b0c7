using System.Collections.Immutable;

namespace Suite.Picker.Scheduling.Scorers;

/// <summary>
/// Prefers endpoints that already serve the requested model: the base model or an active adapter 1.0; a free
/// LoRA slot 0.8; the adapter waiting for a slot 0.6; otherwise 0. Requests without a model score 1 everywhere.
/// </summary>
public sealed class LoraAffinityScorer : IEndpointScorer
{
    public const string TypeName = "lora-affinity";

    public const double Active = 1.0;
    public const double RoomToLoad = 0.8;
    public const double Waiting = 0.6;

    public string Name => TypeName;

    public void Score(in SchedulingRequest request, ReadOnlySpan<Candidate> candidates, Span<double> scores)
    {
        var model = request.Model;
        for (var i = 0; i < candidates.Length; i++)
        {
            scores[i] = model is null ? Active : ScoreOne(candidates[i], model);
        }
    }

    private static double ScoreOne(in Candidate candidate, string model)
    {
        var metrics = candidate.Metrics;
        if (string.Equals(candidate.Endpoint.BaseModel, model, StringComparison.Ordinal) || Contains(metrics.ActiveAdapters, model))
        {
            return Active;
        }

        if (metrics.ActiveAdapters.Length + metrics.WaitingAdapters.Length < metrics.MaxLora)
        {
            return RoomToLoad;
        }

        return Contains(metrics.WaitingAdapters, model) ? Waiting : 0.0;
    }

    private static bool Contains(ImmutableArray<string> adapters, string model)
    {
        foreach (var adapter in adapters)
        {
            if (string.Equals(adapter, model, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
