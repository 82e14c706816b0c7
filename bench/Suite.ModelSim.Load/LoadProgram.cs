using System.Runtime.InteropServices;

namespace Suite.ModelSim.Load;

public static class LoadProgram
{
    private const string Usage = """
        Suite.ModelSim.Load — measures the model simulator (tools/model-sim) with streaming /v1/completions.

          sweep   closed-loop concurrency sweep against one running instance
            --target URL           the instance (default http://127.0.0.1:8200)
            --model NAME           model to request (default meta-llama/Llama-3.1-8B-Instruct)
            --levels 1,2,4,...     concurrency levels (default 1,2,4,8,16,32,64,128,256)
            --seconds S            measured seconds per level (default 20)
            --warmup S             load before each level's window, discarded: at least S seconds and until
                                   every worker finished two requests (default 5)
            --prompt-tokens N      prompt length, unique per request (default 1000)
            --output-tokens N      max_tokens with ignore_eos (default 200)
            --sim-pid PID          also report the simulator's CPU (from /proc)
            --out PATH             write the JSON result there

          cost    starts a simulator fleet, keeps streams open on it, measures CPU and memory
            --sim-dll PATH         default tools/model-sim/bin/Release/net10.0/model-sim.dll
            --preset NAME          default llama-3.1-8b-h100
            --instances N          default 10 (ports PORT..PORT+N-1)
            --port PORT            default 8300
            --streams S            streams kept open, round-robin over the instances (default 200)
            --seconds S            measured seconds (default 30)
            --warmup S             as for sweep (default 10)
            --prompt-tokens N      default 500
            --output-tokens N      default 300
            --out PATH             write the JSON result there
        """;

    public static async Task<int> Main(string[] args)
    {
        if (args is [] or ["--help" or "-h"])
        {
            Console.WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }

        Func<CancellationToken, Task<int>> run;
        try
        {
            var flags = args[1..];
            var command = Command(args);
            switch (args[0])
            {
                case "sweep":
                    var sweep = SweepOptions.Parse(flags);
                    run = stop => SweepRun.RunAsync(sweep, command, stop);
                    break;
                case "cost":
                    var cost = CostOptions.Parse(flags);
                    run = stop => CostRun.RunAsync(cost, command, stop);
                    break;
                default:
                    throw new ArgumentException($"Unknown mode '{args[0]}': give sweep or cost first.");
            }
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine(Usage);
            return 2;
        }

        // Ctrl+C and SIGTERM end the run through cancellation, so the cost mode still stops the fleet it started.
        using var stopping = new CancellationTokenSource();
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stopping.Cancel();
        }

        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        try
        {
            return await run(stopping.Token);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            Console.Error.WriteLine("interrupted");
            return 130;
        }
        catch (SimulatorStartException e)
        {
            Console.Error.WriteLine(e.Message);
            return 1;
        }
    }

    private static string Command(string[] args) => "Suite.ModelSim.Load " + string.Join(' ', args.Select(Quote));

    private static string Quote(string arg) =>
        arg.Length > 0 && arg.All(c => char.IsLetterOrDigit(c) || "-_./:=,".Contains(c)) ? arg : $"'{arg.Replace("'", "'\\''", StringComparison.Ordinal)}'";
}
