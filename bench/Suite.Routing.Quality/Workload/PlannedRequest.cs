namespace Suite.Routing.Quality.Workload;

/// <summary>One request of a run: when it is due (seconds from the start), the ramp step it belongs to, and its body.</summary>
/// <param name="Objective">The <c>x-gateway-inference-objective</c> header it carries, if any.</param>
/// <param name="Body">A streaming chat-completion body with usage, exactly <see cref="OutputTokens"/> tokens (<c>ignore_eos</c>).</param>
internal sealed record PlannedRequest(int Index, double AtSeconds, int Step, string Model, string? Objective, byte[] Body, int PromptTokens, int OutputTokens);

/// <summary>One step of an open-loop ramp: a Poisson arrival rate held for a duration.</summary>
internal readonly record struct RampStep(double RatePerSecond, double Seconds);
