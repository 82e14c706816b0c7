// The catalog service is being built (issue 5): the resolution of resources into per-pool catalogs comes
// first (Resolution/); discovery, publishing, status write-back and the HTTP API follow.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Services.AddHealthChecks();
var app = builder.Build();
app.MapHealthChecks("/healthz");
await app.RunAsync();

public partial class Program;
