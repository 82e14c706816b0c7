using System.ComponentModel;
using System.Diagnostics;
using Suite.Deploy.Tests.Support;

namespace Suite.Deploy.Tests.Rendering;

/// <summary>What <c>kubectl kustomize</c> printed for one directory.</summary>
internal sealed record KustomizeOutput(string Directory, int ExitCode, string Yaml, string Errors);

/// <summary>Runs <c>kubectl kustomize DIR</c> from the repository root, as a person or CI would.</summary>
internal static class Kustomize
{
    public const string MissingKubectl =
        "kubectl is not installed (or not on PATH). Install kubectl: these tests render every kustomization with `kubectl kustomize`.";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static async Task<KustomizeOutput> RunAsync(string directory)
    {
        var start = new ProcessStartInfo("kubectl")
        {
            WorkingDirectory = Repository.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("kustomize");
        start.ArgumentList.Add(directory);

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException(MissingKubectl);
        }
        catch (Win32Exception ex)
        {
            throw new InvalidOperationException(MissingKubectl, ex);
        }

        using (process)
        {
            using var timeout = new CancellationTokenSource(Timeout);
            var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var errors = process.StandardError.ReadToEndAsync(timeout.Token);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"kubectl kustomize {directory} did not finish within {Timeout.TotalSeconds} s");
            }

            return new KustomizeOutput(directory, process.ExitCode, await output, await errors);
        }
    }
}
