using System.Net;
using Microsoft.AspNetCore.Http;

namespace Dit.Platform.Http;

/// <summary>
/// A page a patient reaches by a private link (the questionnaire, stopping messages): plain HTML in the NHS's plain style,
/// no script, nothing loaded from elsewhere, with headers that keep the link's token to the page — no referrer, no cache,
/// no framing.
/// </summary>
public static class PatientPage
{
    public static IResult Html(int status, string title, string body, string? role = null) => new Page(status, $$"""
            <!doctype html>
            <html lang="en-GB">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="robots" content="noindex">
            <title>{{WebUtility.HtmlEncode(title)}} — DIT</title>
            <style>
            body { font: 1.125rem/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 40rem; padding: 1rem; color: #0b0c0c; }
            h1 { font-size: 1.75rem; margin: .5rem 0 1rem; } h2 { font-size: 1.3rem; margin-top: 2rem; }
            fieldset.item { border: 0; border-top: 1px solid #b1b4b6; margin: 0; padding: .75rem 0; }
            legend { font-weight: 600; padding: .75rem 0 .25rem; float: left; width: 100%; }
            fieldset.item label { display: flex; gap: .6rem; align-items: center; min-height: 2.75rem; clear: left; }
            input[type=radio] { width: 1.5rem; height: 1.5rem; margin: 0; }
            .invalid { border-left: 5px solid #d4351c !important; padding-left: .75rem !important; }
            .error { color: #d4351c; font-weight: 600; clear: left; margin: 0; }
            .errors { border: 5px solid #d4351c; padding: .5rem 1rem; margin-bottom: 1rem; }
            .errors a { color: #d4351c; }
            .notice { background: #e8f1e8; border-left: 5px solid #00703c; padding: .5rem 1rem; }
            .urgent { border-left: 5px solid #1d70b8; background: #f3f2f1; padding: .25rem 1rem; margin: 2rem 0; }
            .urgent.prominent { border: 5px solid #d4351c; background: #fff; margin-top: 0; }
            button { font: inherit; font-weight: 600; background: #00703c; color: #fff; border: 0; padding: .75rem 1.5rem; margin-top: 1.5rem; box-shadow: 0 2px 0 #002d18; }
            :focus-visible { outline: 3px solid #fd0; box-shadow: 0 4px 0 #0b0c0c; }
            a { color: #1d70b8; }
            </style>
            </head>
            <body>
            <main{{(role is null ? "" : $" role=\"{role}\"")}}>
            <h1>{{WebUtility.HtmlEncode(title)}}</h1>
            {{body}}
            </main>
            </body>
            </html>
            """);

    private sealed class Page(int status, string html) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            var response = context.Response;
            response.StatusCode = status;
            response.ContentType = "text/html; charset=utf-8";
            SecurityHeaders.ForPrivateLink(response);
            response.Headers.XFrameOptions = "DENY";
            response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
            return response.WriteAsync(html);
        }
    }
}
