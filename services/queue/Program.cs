// The queue service is being built (issue 6).
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
var app = builder.Build();
await app.RunAsync();

public partial class Program;
