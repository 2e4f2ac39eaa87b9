using Dit.Platform.Hosting;
using Dit.Scheduling;

return await ServiceHost.RunAsync(args, "dit-scheduling", SchedulingService.Definition);

public partial class Program;
