using Suite.MetricsCollector.Hosting;

// The content root is the binary's folder, so appsettings.json is found wherever the collector is started from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddMetricsCollector(args);

var app = builder.Build();
app.MapMetricsCollector();
await app.RunAsync();

public partial class Program;
