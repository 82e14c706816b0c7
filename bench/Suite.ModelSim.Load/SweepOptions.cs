namespace Suite.ModelSim.Load;

/// <summary>Flags of the <c>sweep</c> mode: one running simulator instance, closed-loop load at rising concurrency.</summary>
internal sealed class SweepOptions
{
    public Uri Target { get; private set; } = new("http://127.0.0.1:8200");

    public string Model { get; private set; } = "meta-llama/Llama-3.1-8B-Instruct";

    public int[] Levels { get; private set; } = [1, 2, 4, 8, 16, 32, 64, 128, 256];

    public double Seconds { get; private set; } = 20;

    public double WarmupSeconds { get; private set; } = 5;

    public int PromptTokens { get; private set; } = 1000;

    public int OutputTokens { get; private set; } = 200;

    public int? SimulatorPid { get; private set; }

    public string? Out { get; private set; }

    public static SweepOptions Parse(IReadOnlyList<string> args)
    {
        var options = new SweepOptions();
        var flags = new FlagReader(args);
        while (flags.MoveNext())
        {
            switch (flags.Flag)
            {
                case "--target": options.Target = flags.Url(); break;
                case "--model": options.Model = flags.Text(); break;
                case "--levels": options.Levels = flags.Integers(1); break;
                case "--seconds": options.Seconds = flags.Number(1); break;
                case "--warmup": options.WarmupSeconds = flags.Number(0); break;
                case "--prompt-tokens": options.PromptTokens = flags.Integer(CompletionBodies.MinPromptTokens); break;
                case "--output-tokens": options.OutputTokens = flags.Integer(2); break;
                case "--sim-pid": options.SimulatorPid = flags.Integer(1); break;
                case "--out": options.Out = flags.Text(); break;
                default: throw flags.Unknown();
            }
        }

        return options;
    }
}
