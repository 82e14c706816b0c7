namespace Suite.ModelSim.Load;

/// <summary>Flags of the <c>cost</c> mode: a simulator fleet this program starts, loaded with many open streams.</summary>
internal sealed class CostOptions
{
    public string SimulatorDll { get; private set; } = "tools/model-sim/bin/Release/net10.0/model-sim.dll";

    public string Preset { get; private set; } = "llama-3.1-8b-h100";

    public int Instances { get; private set; } = 10;

    public int Port { get; private set; } = 8300;

    public int Streams { get; private set; } = 200;

    public double Seconds { get; private set; } = 30;

    public double WarmupSeconds { get; private set; } = 10;

    public int PromptTokens { get; private set; } = 500;

    public int OutputTokens { get; private set; } = 300;

    public string? Out { get; private set; }

    public static CostOptions Parse(IReadOnlyList<string> args)
    {
        var options = new CostOptions();
        var flags = new FlagReader(args);
        while (flags.MoveNext())
        {
            switch (flags.Flag)
            {
                case "--sim-dll": options.SimulatorDll = flags.Text(); break;
                case "--preset": options.Preset = flags.Text(); break;
                case "--instances": options.Instances = flags.Integer(1); break;
                case "--port": options.Port = flags.Integer(1); break;
                case "--streams": options.Streams = flags.Integer(1); break;
                case "--seconds": options.Seconds = flags.Number(1); break;
                case "--warmup": options.WarmupSeconds = flags.Number(0); break;
                case "--prompt-tokens": options.PromptTokens = flags.Integer(CompletionBodies.MinPromptTokens); break;
                case "--output-tokens": options.OutputTokens = flags.Integer(2); break;
                case "--out": options.Out = flags.Text(); break;
                default: throw flags.Unknown();
            }
        }

        return options.Port + options.Instances - 1 <= 65535
            ? options
            : throw new ArgumentException("--port + --instances - 1 must be a port (≤ 65535).");
    }
}
