using Dit.Platform.Messaging;
using Dit.Scheduling;

var builder = WebApplication.CreateBuilder(args);
builder.AddSchedulingService();
builder.Services.AddDitBus(builder.Configuration);

var app = builder.Build();
app.MapSchedulingApi();
app.Run();

public partial class Program;
