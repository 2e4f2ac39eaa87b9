using Dit.Notifications;
using Dit.Platform.Hosting;

return await ServiceHost.RunAsync(args, "dit-notifications", NotificationsService.Definition);

public partial class Program;
