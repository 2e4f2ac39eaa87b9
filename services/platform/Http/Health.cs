using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Dit.Platform.Http;

public static class Health
{
    /// <summary>Maps <c>/health/live</c> once, however many services the process hosts.</summary>
    public static WebApplication MapLiveness(this WebApplication app)
    {
        if (((IApplicationBuilder)app).Properties.TryAdd("dit:liveness", true))
            app.MapGet("/health/live", () => TypedResults.Ok(new { status = "live" }));
        return app;
    }
}
