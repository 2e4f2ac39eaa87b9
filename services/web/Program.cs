using Dit.Web;

FrontEndProcess.Build(WebApplication.CreateBuilder(args)).Run();
