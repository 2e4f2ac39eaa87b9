namespace Dit.Web;

/// <summary>
/// The staff pages at <c>/coordinator/</c>: plain HTML, CSS and JavaScript embedded in the assembly (nothing from a CDN),
/// over the services' APIs through <see cref="StaffSession"/>. A page opens only in a signed-in session (else to sign-in);
/// its script and style are served to anyone, as they hold nothing of a patient's.
/// </summary>
public static class StaffPages
{
    /// <summary>The sign-in provider's origin: the one place besides this site a page's form may send the browser (sign-out).</summary>
    public sealed record ProviderOrigin(string Value);

    private static readonly Dictionary<string, string> Files = new()
    {
        ["index.html"] = "text/html; charset=utf-8",
        ["figures.html"] = "text/html; charset=utf-8",
        ["keys.html"] = "text/html; charset=utf-8",
        ["therapist.html"] = "text/html; charset=utf-8",
        ["admin.html"] = "text/html; charset=utf-8",
        ["admin.js"] = "text/javascript; charset=utf-8",
        ["therapist.js"] = "text/javascript; charset=utf-8",
        ["keys.js"] = "text/javascript; charset=utf-8",
        ["signed-out.html"] = "text/html; charset=utf-8",
        ["unavailable.html"] = "text/html; charset=utf-8",
        ["app.js"] = "text/javascript; charset=utf-8",
        ["session.js"] = "text/javascript; charset=utf-8",
        ["svg.js"] = "text/javascript; charset=utf-8",
        ["progress.js"] = "text/javascript; charset=utf-8",
        ["figures.js"] = "text/javascript; charset=utf-8",
        ["app.css"] = "text/css; charset=utf-8",
    };

    private static readonly HashSet<string> SessionPages = ["index.html", "figures.html", "keys.html", "therapist.html", "admin.html"];

    public static IEndpointRouteBuilder MapStaffPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/coordinator/{file?}", async (string? file, HttpContext context) =>
        {
            // The page's relative links need the trailing slash.
            if (file is null && !context.Request.Path.Value!.EndsWith('/')) return Results.Redirect("/coordinator/");
            file ??= "index.html";
            if (!Files.ContainsKey(file) || file is "signed-out.html" or "unavailable.html") return Results.NotFound();
            if (SessionPages.Contains(file) && await StaffFrontEnd.SessionAsync(context) is null)
                return await StaffFrontEnd.SignInAsync(context, context.Request.Path + context.Request.QueryString);
            return File(context, file);
        }).ExcludeFromDescription();
        app.MapGet("/therapist", () => Results.Redirect("/coordinator/therapist.html")).ExcludeFromDescription();
        return app;
    }

    /// <summary>One of the embedded files with the staff pages' headers: a Content-Security-Policy allowing this site's own
    /// script, style and API only (no inline script, no framing) and forms sent here or to the provider; no referrer.</summary>
    internal static IResult File(HttpContext context, string file, int status = StatusCodes.Status200OK)
    {
        var provider = context.RequestServices.GetRequiredService<ProviderOrigin>().Value;
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
            $"form-action 'self' {provider}; frame-ancestors 'none'; base-uri 'none'";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-cache";
        context.Response.StatusCode = status;
        var stream = typeof(StaffPages).Assembly.GetManifestResourceStream($"Dit.Web.Pages.{file}")!;
        return Results.Stream(stream, Files[file]);
    }
}
