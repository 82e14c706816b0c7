using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Suite.Host.Ports;

namespace Suite.Host.Hosting;

/// <summary>
/// One web application of the suite (a service, the gateway, health or metrics) running in this process: built
/// with quiet single-line logging and no console lifetime of its own (the suite stops its apps in order), started,
/// and stopped when disposed.
/// </summary>
internal sealed class EmbeddedApp : IAsyncDisposable
{
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(5);
    private readonly Task<int> _running;

    private EmbeddedApp(string name, WebApplication app, Task<int> running)
    {
        Name = name;
        App = app;
        _running = running;
    }

    public string Name { get; }

    public WebApplication App { get; }

    public IServiceProvider Services => App.Services;

    /// <summary>The first address the app listens on, with the port the system chose when it was given 0.</summary>
    public Uri Address => new(App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    /// <param name="contentRoot">An empty folder: no appsettings.json of whichever service was copied last into the binary's folder.</param>
    /// <param name="settings">Configuration keys exactly as the service's own Program would be given them.</param>
    public static WebApplicationBuilder CreateBuilder(string contentRoot, IReadOnlyDictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ContentRootPath = contentRoot,
            EnvironmentName = Environments.Production,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(settings)
        {
            ["Logging:LogLevel:Default"] = "Warning",

            // An unready picker is expected until its first snapshot; the suite polls it, and says itself what is missing.
            ["Logging:LogLevel:Microsoft.Extensions.Diagnostics.HealthChecks"] = "Critical",
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "HH:mm:ss.fff ";
        });
        builder.Services.AddSingleton<IHostLifetime, SuiteLifetime>();
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = ShutdownTimeout);
        return builder;
    }

    /// <param name="run">
    /// How the service's Program runs the built app (the picker checks its settings first); the task ends when the
    /// app stops, with the Program's exit code.
    /// </param>
    /// <exception cref="SuiteStartException">A port the app listens on is taken.</exception>
    public static async Task<EmbeddedApp> StartAsync(string name, WebApplication app, Func<WebApplication, Task<int>>? run = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = app.Lifetime.ApplicationStarted.Register(started.SetResult);
        var running = (run ?? RunAsync)(app);
        if (await Task.WhenAny(started.Task, running) == running)
        {
            int exitCode;
            try
            {
                exitCode = await running;
            }
            catch (IOException e) when (e.InnerException is AddressInUseException)
            {
                throw new SuiteStartException($"the {name} cannot listen: {e.Message} Is another suite running?", e);
            }
            catch (Exception e)
            {
                throw new SuiteStartException($"the {name} failed to start: {e.Message}", e);
            }

            await app.DisposeAsync(); // it returned before running, so nothing disposed it
            throw new SuiteStartException($"the {name} stopped while starting, exit code {exitCode}; its log above says why.")
            {
                ServiceExitCode = exitCode,
            };
        }

        return new EmbeddedApp(name, app, running);
    }

    public async ValueTask DisposeAsync()
    {
        App.Lifetime.StopApplication();
        await _running; // RunAsync disposes the app once it has stopped
    }

    private static async Task<int> RunAsync(WebApplication app)
    {
        await app.RunAsync();
        return 0;
    }

    /// <summary>Neither waits for nor reacts to Ctrl-C: the suite catches the signal once and stops its apps in order.</summary>
    private sealed class SuiteLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
