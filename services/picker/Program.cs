using Suite.Picker.Hosting;

// The content root is the binary's folder, so appsettings.json is found wherever the picker is started from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddPicker(args);

var app = builder.Build();
app.MapPicker();
return await app.RunPickerAsync();

public partial class Program;
