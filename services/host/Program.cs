using Dit.Platform;
using Dit.Host;
using Dit.Notifications;
using Dit.Platform.Messaging;
using Dit.Referrals;
using Dit.Scheduling;

// The development host: all three services in one process, on SQLite files under ./data and
// MassTransit's in-memory bus, with demo therapists and demo keys.
var builder = WebApplication.CreateBuilder(args);
builder.AddReferralsService();
builder.AddSchedulingService();
builder.AddNotificationsService();
builder.Services.AddHostedService<DemoData>();
builder.Services.AddDitBus(builder.Configuration);
builder.AddServiceTelemetry("dit-host");

var app = builder.Build();
app.MapReferralsApi();
app.MapSchedulingApi();
app.MapNotificationsApi();
app.Run();
