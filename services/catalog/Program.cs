using Suite.Catalog.Hosting;

// The content root is the binary's folder, so appsettings.json is found wherever the catalog is started from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddCatalog(args);

var app = builder.Build();
app.MapCatalog();
await app.RunAsync();

public partial class Program;
