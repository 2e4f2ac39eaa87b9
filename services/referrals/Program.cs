using Dit.Platform;
using Dit.Platform.Http;
using Dit.Platform.Messaging;
using Dit.Referrals;
using Dit.Referrals.Keys;

if (args is ["keys", .. var keyArguments])
{
    var configuration = WebApplication.CreateBuilder().Configuration;
    return await KeysCommand.RunAsync(new ReferralsDatabase(configuration), Referrers.Holders, keyArguments, Console.Out);
}
if (args is ["errors", .. var errorArguments])
    return await ErrorQueuesCommand.RunAsync(WebApplication.CreateBuilder().Configuration, typeof(Dit.Referrals.Status.RecordCourseBooked).Assembly, errorArguments, Console.Out);

var builder = WebApplication.CreateBuilder(args);
builder.AddReferralsService();
builder.Services.AddDitBus(builder.Configuration);
builder.AddServiceTelemetry("dit-referrals");

var app = builder.Build();
app.MapReferralsApi();
app.Run();
return 0;

public partial class Program;
