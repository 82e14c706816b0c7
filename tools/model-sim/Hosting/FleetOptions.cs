using Suite.ModelSim.Metrics;

namespace Suite.ModelSim.Hosting;

/// <summary>How many instances to run, where, and what they share (section <c>Fleet</c>).</summary>
public sealed class FleetOptions
{
    /// <summary>Engine preset the <c>Engine</c> section overrides: llama-3.1-8b-h100, llama-3.1-70b-h100-tp4 or tiny.</summary>
    public string Preset { get; set; } = "llama-3.1-8b-h100";

    public int Instances { get; set; } = 1;

    /// <summary>Address every instance listens on (ignored with <see cref="LoopbackAddresses"/>).</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>First instance's port; instance <c>i</c> gets <c>Port + i</c>. 0 lets each pick a free port.</summary>
    public int Port { get; set; } = 8000;

    /// <summary>Instance <c>i</c> listens on 127.0.1.(i+1) at the same <see cref="Port"/>, as pods share a port on distinct IPs.</summary>
    public bool LoopbackAddresses { get; set; }

    /// <summary>Instance <c>i</c> answers as pod <c>{NamePrefix}-{i}</c>.</summary>
    public string NamePrefix { get; set; } = "sim";

    /// <summary>LoRA adapters registered at start, as vLLM's <c>--lora-modules</c>: <c>name=path,name=path</c>.</summary>
    public string LoraModules { get; set; } = "";

    /// <summary>Seed of instance 0's random draws (output lengths, fault dice); instance <c>i</c> uses <c>Seed + i</c>.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>Simulated time runs this many times faster than the wall clock (every step duration is divided by it).</summary>
    public double Speedup { get; set; } = 1;

    /// <summary>Metric names: vllm or sglang.</summary>
    public MetricsFormat MetricsFormat { get; set; } = MetricsFormat.Vllm;

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Instances is < 1 or > 250)
        {
            problems.Add("Fleet:Instances must be 1–250");
        }

        if (Port is < 0 or > 65535 || (Port == 0 && LoopbackAddresses) || (Port > 0 && !LoopbackAddresses && Port + Instances - 1 > 65535))
        {
            problems.Add("Fleet:Port must leave room for every instance (0 picks free ports, but not with LoopbackAddresses)");
        }

        if (!(Speedup > 0) || double.IsInfinity(Speedup))
        {
            problems.Add("Fleet:Speedup must be > 0");
        }

        if (string.IsNullOrWhiteSpace(NamePrefix))
        {
            problems.Add("Fleet:NamePrefix must be set");
        }

        try
        {
            _ = ParseLoraModules();
        }
        catch (FormatException e)
        {
            problems.Add($"Fleet:LoraModules {e.Message}");
        }

        return problems;
    }

    public IReadOnlyDictionary<string, string> ParseLoraModules()
    {
        var modules = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in LoraModules.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = entry.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? entry : entry[..equals];
            var path = equals < 0 ? entry : entry[(equals + 1)..];
            if (name.Length == 0 || path.Length == 0 || !modules.TryAdd(name, path))
            {
                throw new FormatException($"has a bad or repeated entry '{entry}' (expected name=path,name=path)");
            }
        }

        return modules;
    }
}
