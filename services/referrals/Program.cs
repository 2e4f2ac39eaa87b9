using Dit.Platform.Messaging;
using Dit.Referrals;

var builder = WebApplication.CreateBuilder(args);
builder.AddReferralsService();
builder.Services.AddDitBus(builder.Configuration);

var app = builder.Build();
app.MapReferralsApi();
app.Run();

public partial class Program;
