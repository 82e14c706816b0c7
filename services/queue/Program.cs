using Suite.Queue.Hosting;

// The content root is the binary's folder, so appsettings.json is found wherever the queue is started from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddQueue(args);

var app = builder.Build();
app.MapQueue();
return await app.RunQueueAsync();

public partial class Program;
