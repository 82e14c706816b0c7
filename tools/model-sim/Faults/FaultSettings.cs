namespace Suite.ModelSim.Faults;

/// <summary>
/// Faults an instance can be told to show, at start (section <c>Faults</c>) or at run time
/// (<c>PUT /sim/faults</c>), so reliability tests can break a pod on purpose.
/// </summary>
public sealed record FaultSettings
{
    /// <summary>Share of completion requests (0–1) answered at once with a 500 error.</summary>
    public double ErrorRate { get; set; }

    /// <summary>Every engine step takes this many times longer (1 = normal; 5 = a struggling GPU).</summary>
    public double Slowdown { get; set; } = 1;

    /// <summary>The engine stops stepping: requests are accepted and then hang (a wedged server).</summary>
    public bool Paused { get; set; }

    /// <summary><c>GET /metrics</c> never answers (the request hangs until the client gives up).</summary>
    public bool MetricsSilent { get; set; }

    /// <summary>Share of streaming responses (0–1) whose connection is dropped after <see cref="DieAfterTokens"/> tokens.</summary>
    public double DieRate { get; set; }

    /// <summary>Tokens sent before a dying stream's connection is dropped.</summary>
    public int DieAfterTokens { get; set; } = 1;

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (ErrorRate is < 0 or > 1 || double.IsNaN(ErrorRate))
        {
            problems.Add("Faults:ErrorRate must be 0–1");
        }

        if (DieRate is < 0 or > 1 || double.IsNaN(DieRate))
        {
            problems.Add("Faults:DieRate must be 0–1");
        }

        if (!(Slowdown >= 0.01))
        {
            problems.Add("Faults:Slowdown must be ≥ 0.01");
        }

        if (DieAfterTokens < 0)
        {
            problems.Add("Faults:DieAfterTokens must be ≥ 0");
        }

        return problems;
    }
}
