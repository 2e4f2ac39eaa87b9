using Dit.Platform;
using Dit.Platform.Http;

namespace Dit.Web;

/// <summary>
/// The staff front end as a process of its own (the Compose stack, a deployment, the end-to-end tests): the staff pages,
/// sign-in at the provider, and the pages' API calls forwarded by YARP to the services (<see cref="ServiceRoutes"/>) with
/// the signed-in person's token and without their cookies.
/// </summary>
public static class FrontEndProcess
{
    public static WebApplication Build(WebApplicationBuilder builder)
    {
        builder.AddStaffFrontEnd();
        var routes = Settings.Read<ServiceRoutes>(builder.Configuration, ServiceRoutes.Section);
        builder.Services.AddReverseProxy().LoadFromMemory(routes.Routes, routes.Clusters);
        builder.Services.AddProblemDetails();

        var app = builder.Build();
        app.MapGet("/health/live", () => TypedResults.Ok(new { status = "live" }));
        app.UseSecurityHeaders();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseStaffSession();
        app.MapStaffFrontEnd();
        app.MapReverseProxy();
        return app;
    }
}
