using Dit.Platform;
using Dit.Platform.Http;
using Dit.Platform.Messaging;
using Dit.Scheduling;
using Dit.Scheduling.Coordinators;

if (args is ["keys", .. var keyArguments])
{
    var configuration = WebApplication.CreateBuilder().Configuration;
    return await KeysCommand.RunAsync(new SchedulingDatabase(configuration), Coordinators.Holders, keyArguments, Console.Out);
}
if (args is ["errors", .. var errorArguments])
    return await ErrorQueuesCommand.RunAsync(WebApplication.CreateBuilder().Configuration, typeof(Dit.Scheduling.Booking.BookCourse).Assembly, errorArguments, Console.Out);

var builder = WebApplication.CreateBuilder(args);
builder.AddSchedulingService();
builder.Services.AddDitBus(builder.Configuration);
builder.AddServiceTelemetry("dit-scheduling");

var app = builder.Build();
app.MapSchedulingApi();
app.Run();
return 0;

public partial class Program;
