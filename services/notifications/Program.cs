using Dit.Platform;
using Dit.Notifications;
using Dit.Notifications.Messages;
using Dit.Platform.Http;
using Dit.Platform.Messaging;

if (args is ["keys", .. var keyArguments])
{
    var configuration = WebApplication.CreateBuilder().Configuration;
    return await KeysCommand.RunAsync(new NotificationsDatabase(configuration), NotificationsCoordinators.Holders, keyArguments, Console.Out);
}
if (args is ["errors", .. var errorArguments])
    return await ErrorQueuesCommand.RunAsync(WebApplication.CreateBuilder().Configuration, typeof(Dit.Notifications.Invites.SendInvite).Assembly, errorArguments, Console.Out);

var builder = WebApplication.CreateBuilder(args);
builder.AddNotificationsService();
builder.Services.AddDitBus(builder.Configuration);
builder.AddServiceTelemetry("dit-notifications");

var app = builder.Build();
app.MapNotificationsApi();
app.Run();
return 0;

public partial class Program;
