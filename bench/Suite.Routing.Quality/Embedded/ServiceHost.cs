using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Suite.Messaging;
using Suite.Messaging.InMemory;

namespace Suite.Routing.Quality.Embedded;

/// <summary>
/// One service of the suite, built by its own hosting extensions (<c>AddXxx</c>/<c>MapXxx</c>, what its Program
/// calls) with real Kestrel listeners, configured through keys as its Program would be, and given the process's
/// shared in-memory bus and state store.
/// </summary>
internal sealed class ServiceHost : IAsyncDisposable
{
    private readonly Task<int> _running;

    private ServiceHost(string name, WebApplication app, Task<int> running)
    {
        Name = name;
        App = app;
        _running = running;
    }

    public string Name { get; }

    public WebApplication App { get; }

    public IServiceProvider Services => App.Services;

    /// <param name="run">
    /// How the service's Program runs the built app (the picker checks its settings first); the task ends when the
    /// app stops, with the Program's exit code.
    /// </param>
    public static async Task<ServiceHost> StartAsync(
        string name,
        string contentRoot,
        IReadOnlyDictionary<string, string?> settings,
        InMemoryBus bus,
        InMemoryStateStore store,
        Action<WebApplicationBuilder> add,
        Action<WebApplication> map,
        Func<WebApplication, Task<int>>? run = null)
    {
        // An empty content root: no appsettings.json of whichever service was copied last into this program's folder.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ContentRootPath = contentRoot,
            EnvironmentName = Environments.Production,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(settings)
        {
            ["Messaging:Mode"] = "InMemory",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "HH:mm:ss.fff ";
        });

        // Registered before the service's own AddSuiteMessaging, whose TryAdd then keeps these shared instances.
        builder.Services.AddSingleton(bus);
        builder.Services.AddSingleton<IStateStore>(store);
        add(builder);

        var app = builder.Build();
        map(app);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        app.Lifetime.ApplicationStarted.Register(started.SetResult);
        var running = (run ?? RunAsync)(app);
        if (await Task.WhenAny(started.Task, running) == running)
        {
            throw new InvalidOperationException($"{name} stopped while starting, exit code {await running}; its log says why.");
        }

        return new ServiceHost(name, app, running);
    }

    public async ValueTask DisposeAsync()
    {
        App.Lifetime.StopApplication();
        await _running;
    }

    private static async Task<int> RunAsync(WebApplication app)
    {
        await app.RunAsync();
        return 0;
    }
}
