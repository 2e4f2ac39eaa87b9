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
// --simulated-clinic [weeks]: first live the clinic's last weeks (default 20) on a clock set back (SimulatedClinic).
var flag = Array.IndexOf(args, "--simulated-clinic");
var weeksGiven = flag >= 0 && flag + 1 < args.Length && int.TryParse(args[flag + 1], out _);
int? simulatedWeeks = flag < 0 ? null : weeksGiven ? int.Parse(args[flag + 1]) : 20;
var builder = WebApplication.CreateBuilder(args.Where((_, i) => flag < 0 || (i != flag && !(weeksGiven && i == flag + 1))).ToArray());
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
if (simulatedWeeks is { } living)
{
    // Months of referrals and attendance through the host's own doors in a minute or two: more calls than a person makes.
    builder.Configuration["RateLimit:PermitLimit"] = "1000000";
    var clock = new SimulationClock(NodaTime.Duration.FromDays(7 * living));
    builder.Services.AddSingleton(clock).AddSingleton<NodaTime.IClock>(clock);
    builder.Services.AddSingleton(new SimulatedClinic.Settings(living, publicUrl)).AddHostedService<SimulatedClinic>();
}

var app = builder.Build();
app.UseStaffSession();
app.MapServiceDefaults();
app.MapDevelopmentProvider();
app.MapStaffFrontEnd();
app.Run();
