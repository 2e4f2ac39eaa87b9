using Dit.Identity;

// The development sign-in provider as a process of its own (the Compose stack).
DevelopmentProvider.BuildProcess(WebApplication.CreateBuilder(args)).Run();

public partial class Program;
