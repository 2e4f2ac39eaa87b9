using Dit.Platform.Hosting;
using Dit.Referrals;

return await ServiceHost.RunAsync(args, "dit-referrals", ReferralsService.Definition);

public partial class Program;
