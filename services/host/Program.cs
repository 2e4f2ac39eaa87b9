using Dit.Host;
using Dit.Identity;
using Dit.Notifications;
using Dit.Platform.Hosting;
using Dit.Referrals;
using Dit.Scheduling;
using Dit.Web;

// The development host: all three services in one process, on SQLite files under ./data and
// MassTransit's in-memory bus, with demo therapists and demo keys — and the staff pages with their own sign-in
// provider and its demo users, one per role.
var builder = WebApplication.CreateBuilder(args);
// Port 5080 unless ASPNETCORE_URLS or --urls says otherwise; the links in patients' mail follow the address chosen.
if (string.IsNullOrWhiteSpace(builder.Configuration["urls"])) builder.WebHost.UseUrls(DemoData.DefaultUrl);
var publicUrl = (builder.Configuration["urls"] ?? DemoData.DefaultUrl).Split(';')[0].Replace("://+", "://localhost").Replace("://*", "://localhost")
    .Replace("://0.0.0.0", "://localhost");
builder.Configuration["Notifications:PublicBaseUrl"] ??= publicUrl;
builder.Configuration["Notifications:Questionnaires:BaseUrl"] ??= publicUrl;
builder.Configuration["Scheduling:DemoClinic"] ??= "true";
DemoData.UseOwnSignIn(builder.Configuration, publicUrl);
builder.AddServiceDefaults("dit-host", ReferralsService.Definition, SchedulingService.Definition, NotificationsService.Definition);
builder.AddDevelopmentProvider();
builder.AddStaffFrontEnd();
builder.Services.AddHostedService<DemoData>();

var app = builder.Build();
app.UseStaffSession();
app.MapServiceDefaults();
app.MapDevelopmentProvider();
app.MapStaffFrontEnd();
app.Run();
