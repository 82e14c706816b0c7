using Suite.Picker.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddPicker(args);

var app = builder.Build();
app.MapPicker();
return await app.RunPickerAsync();

public partial class Program;
