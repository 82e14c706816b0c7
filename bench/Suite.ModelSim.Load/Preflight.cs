namespace Suite.ModelSim.Load;

/// <summary>One short request to each target before the load starts, so a wrong address or model name fails at once.</summary>
internal static class Preflight
{
    public static async Task<string?> FailureAsync(CompletionStreamer streamer, IEnumerable<Uri> completionTargets, string model, CancellationToken stopping)
    {
        var bodies = new CompletionBodies(model, CompletionBodies.MinPromptTokens);
        foreach (var target in completionTargets)
        {
            var outcome = await streamer.SendAsync(target, bodies.Next(outputTokens: 2), stopping);
            if (outcome.Error is { } error)
            {
                return $"{target}: {error}";
            }
        }

        return null;
    }
}
