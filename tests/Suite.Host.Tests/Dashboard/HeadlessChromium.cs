using System.Diagnostics;

namespace Suite.Host.Tests.Dashboard;

/// <summary>Debian's chromium, run headless once per page load (<c>--dump-dom</c> or <c>--screenshot</c>).</summary>
internal static class HeadlessChromium
{
    private static readonly string[] Candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    /// <summary>The browser's path; null when none is installed (.ci/run installs Debian's <c>chromium</c>).</summary>
    public static string? Executable { get; } = Candidates.FirstOrDefault(File.Exists);

    /// <summary>The page's DOM after its scripts ran for <paramref name="budget"/> of virtual time (fetches wait in real time).</summary>
    public static Task<string> DumpDomAsync(Uri page, TimeSpan budget) => RunAsync(page, budget, "--dump-dom");

    public static Task ScreenshotAsync(Uri page, TimeSpan budget, string path, int width, int height) =>
        RunAsync(page, budget, $"--screenshot={path}", $"--window-size={width},{height}", "--hide-scrollbars");

    private static async Task<string> RunAsync(Uri page, TimeSpan budget, params string[] mode)
    {
        var profile = Directory.CreateTempSubdirectory("dashboard-chromium-");
        var start = new ProcessStartInfo(Executable ?? throw new InvalidOperationException("chromium is not installed"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--no-default-browser-check", "--disable-extensions", "--mute-audio", $"--user-data-dir={profile.FullName}",
            $"--virtual-time-budget={(int)budget.TotalMilliseconds}", .. mode, page.ToString()])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("chromium did not start");
        try
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            using var limit = new CancellationTokenSource(Limit);
            await process.WaitForExitAsync(limit.Token);
            var dom = await output;
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"chromium exited with {process.ExitCode}: {await errors}");
            }

            return dom;
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"chromium did not finish loading {page} within {Limit.TotalSeconds} s");
        }
        finally
        {
            Remove(profile);
        }
    }

    private static void Remove(DirectoryInfo profile)
    {
        try
        {
            profile.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A helper process that outlived the browser may still hold a file; the temp directory is cleaned up later.
        }
    }
}
