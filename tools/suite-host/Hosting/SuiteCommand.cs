using System.Diagnostics;
using Suite.Host.CommandLine;
using Suite.Host.Ports;

namespace Suite.Host.Hosting;

/// <summary>
/// The <c>suite</c> command: read the flags, start the suite, wait until every pool is ready, print where
/// everything is, and run until Ctrl-C or SIGTERM. Exit codes: 0 stopped by a signal, 1 could not start or
/// become ready, 2 a bad flag or cluster file.
/// </summary>
internal static class SuiteCommand
{
    public const int Stopped = 0;
    public const int CouldNotStart = 1;
    public const int BadConfiguration = 2;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (SuiteCommandLine.WantsHelp(args))
        {
            await output.WriteAsync(SuiteCommandLine.Usage);
            return Stopped;
        }

        using var signal = new ShutdownSignal();
        var clock = Stopwatch.StartNew();
        EmbeddedSuite suite;
        try
        {
            var options = SuiteCommandLine.Parse(args);
            await output.WriteLineAsync($"suite: starting from {options.ClusterFile} …");
            suite = await EmbeddedSuite.StartAsync(options, signal.Token);
        }
        catch (SuiteConfigurationException e)
        {
            await error.WriteLineAsync($"suite: {e.Message}");
            return BadConfiguration;
        }
        catch (SuiteStartException e)
        {
            await error.WriteLineAsync($"suite: {e.Message}");
            return CouldNotStart;
        }
        catch (OperationCanceledException) when (signal.IsRequested)
        {
            return Stopped;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or InvalidDataException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"suite: could not start: {e.Message}");
            return CouldNotStart;
        }

        await using (suite)
        {
            try
            {
                await suite.WaitUntilReadyAsync(suite.Options.ReadyTimeout, signal.Token);
            }
            catch (TimeoutException e)
            {
                await error.WriteLineAsync($"suite: {e.Message}");
                return CouldNotStart;
            }
            catch (OperationCanceledException) when (signal.IsRequested)
            {
                return Stopped;
            }

            await output.WriteAsync(StartupSummary.Text(suite, clock.Elapsed));
            await WaitForSignalAsync(signal.Token);
            await output.WriteLineAsync("suite: stopping …");
        }

        await output.WriteLineAsync("suite: stopped");
        return Stopped;
    }

    private static async Task WaitForSignalAsync(CancellationToken signal)
    {
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, signal);
        }
        catch (OperationCanceledException)
        {
            // the signal: time to stop
        }
    }
}
