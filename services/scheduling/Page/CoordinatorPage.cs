namespace Dit.Scheduling.Page;

/// <summary>
/// The coordinator page at <c>/coordinator/</c>: plain HTML, CSS and JavaScript embedded in the
/// assembly (nothing from a CDN), over the coordinator API. It holds no key itself: the browser sends it.
/// </summary>
public static class CoordinatorPage
{
    private static readonly Dictionary<string, string> Files = new()
    {
        ["index.html"] = "text/html; charset=utf-8",
        ["app.js"] = "text/javascript; charset=utf-8",
        ["svg.js"] = "text/javascript; charset=utf-8",
        ["progress.js"] = "text/javascript; charset=utf-8",
        ["figures.html"] = "text/html; charset=utf-8",
        ["figures.js"] = "text/javascript; charset=utf-8",
        ["app.css"] = "text/css; charset=utf-8",
    };

    public static IEndpointRouteBuilder MapCoordinatorPage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/coordinator/{file?}", (string? file, HttpRequest request) =>
        {
            Dit.Platform.Http.SecurityHeaders.ForStaffPage(request.HttpContext.Response);
            // The page's relative links need the trailing slash.
            if (file is null && !request.Path.Value!.EndsWith('/')) return Results.Redirect("/coordinator/");
            file ??= "index.html";
            if (!Files.TryGetValue(file, out var contentType)) return Results.NotFound();
            var stream = typeof(CoordinatorPage).Assembly.GetManifestResourceStream($"Dit.Scheduling.Page.{file}")!;
            return Results.Stream(stream, contentType);
        }).ExcludeFromDescription();
        return app;
    }
}
