using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Suite.ModelSim.Load;

/// <summary>The simulator fleet did not come up; the message says why.</summary>
internal sealed class SimulatorStartException(string message) : Exception(message);

/// <summary>One simulated server as the simulator announces it: <c>sim-0 http://127.0.0.1:8300/ model-name (...)</c>.</summary>
internal sealed record SimulatorInstance(string Name, Uri Address, string Model);

/// <summary>
/// The simulator fleet as a child process (<c>dotnet model-sim.dll --preset P --instances N --port PORT</c>): ready
/// once it has printed one line per instance, stopped with SIGTERM (its graceful shutdown) and killed only if it
/// does not exit in time. Disposing stops it, so an error or Ctrl+C never leaves the fleet running.
/// </summary>
internal sealed partial class SimulatorProcess : IDisposable
{
    private const int SigTerm = 15;
    private static readonly TimeSpan StopLimit = TimeSpan.FromSeconds(10);

    private readonly Process _process;
    private readonly int _expected;
    private readonly List<SimulatorInstance> _instances = [];
    private readonly Queue<string> _lastErrors = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string? _stopped;

    private SimulatorProcess(Process process, int expected)
    {
        _process = process;
        _expected = expected;
    }

    public int Pid => _process.Id;

    public string Command => string.Join(' ', [_process.StartInfo.FileName, .. _process.StartInfo.ArgumentList]);

    public IReadOnlyList<SimulatorInstance> Instances => _instances;

    /// <summary>Starts the fleet and waits for every instance to listen; throws with the simulator's last error lines if it does not.</summary>
    public static async Task<SimulatorProcess> StartAsync(string dll, string preset, int instances, int port, TimeSpan limit, CancellationToken stopping)
    {
        if (!File.Exists(dll))
        {
            throw new SimulatorStartException($"simulator not found at {dll}; build it with `dotnet build -c Release tools/model-sim`.");
        }

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])[dll, "--preset", preset, "--instances", $"{instances}", "--port", $"{port}"])
        {
            start.ArgumentList.Add(arg);
        }

        var simulator = new SimulatorProcess(new Process { StartInfo = start, EnableRaisingEvents = true }, instances);
        try
        {
            await simulator.StartAndWaitAsync(limit, stopping);
            return simulator;
        }
        catch
        {
            simulator.Dispose();
            throw;
        }
    }

    /// <summary>Stops the fleet if it still runs, and tells how it went.</summary>
    public string Stop()
    {
        if (_stopped is not null)
        {
            return _stopped;
        }

        if (_process.HasExited)
        {
            return _stopped = $"had already exited with code {_process.ExitCode}";
        }

        var started = Stopwatch.GetTimestamp();
        _ = SendSignal(_process.Id, SigTerm);
        if (_process.WaitForExit(StopLimit))
        {
            return _stopped = $"exited with code {_process.ExitCode} {Stopwatch.GetElapsedTime(started).TotalSeconds:0.00} s after SIGTERM";
        }

        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
        return _stopped = $"killed: still running {StopLimit.TotalSeconds:0} s after SIGTERM";
    }

    public void Dispose()
    {
        Stop();
        _process.Dispose();
    }

    private async Task StartAndWaitAsync(TimeSpan limit, CancellationToken stopping)
    {
        _process.OutputDataReceived += (_, line) => OnOutput(line.Data);
        _process.ErrorDataReceived += (_, line) => OnError(line.Data);
        _process.Exited += (_, _) => _ready.TrySetException(new SimulatorStartException(
            $"the simulator exited during start-up; its last error lines:\n{LastErrors()}"));
        _process.Start();

        // Read both pipes for the whole run: a full pipe would block the simulator's writes.
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        try
        {
            await _ready.Task.WaitAsync(limit, stopping);
        }
        catch (TimeoutException)
        {
            throw new SimulatorStartException($"the simulator announced {_instances.Count} of {_expected} instances in {limit.TotalSeconds:0} s");
        }
    }

    private void OnOutput(string? line)
    {
        var fields = line?.Split(' ');
        if (fields is not [var name, var address, var model, ..] || !Uri.TryCreate(address, UriKind.Absolute, out var url))
        {
            return;
        }

        lock (_instances)
        {
            _instances.Add(new SimulatorInstance(name, url, model));
            if (_instances.Count == _expected)
            {
                _ready.TrySetResult();
            }
        }
    }

    private void OnError(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lastErrors)
        {
            _lastErrors.Enqueue(line);
            if (_lastErrors.Count > 20)
            {
                _lastErrors.Dequeue();
            }
        }
    }

    private string LastErrors()
    {
        lock (_lastErrors)
        {
            return string.Join('\n', _lastErrors);
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);
}
