using Dit.Identity;

// The development sign-in provider on its own (the Compose stack); the development host runs it in its own process.
var builder = WebApplication.CreateBuilder(args);
builder.AddDevelopmentProvider();
var app = builder.Build();
app.UseAuthentication();
app.MapDevelopmentProvider();
app.Run();

public partial class Program;
