using Dit.Identity;

// The development sign-in provider as a process of its own (for the Compose stack; not yet in docker-compose.yml).
var builder = WebApplication.CreateBuilder(args);
builder.AddDevelopmentProvider();
var app = builder.Build();
app.UseAuthentication();
app.MapDevelopmentProvider();
app.Run();

public partial class Program;
