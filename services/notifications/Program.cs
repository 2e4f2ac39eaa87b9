using Dit.Notifications;
using Dit.Platform.Messaging;

var builder = WebApplication.CreateBuilder(args);
builder.AddNotificationsService();
builder.Services.AddDitBus(builder.Configuration);

var app = builder.Build();
app.MapNotificationsApi();
app.Run();

public partial class Program;
